// Runs an experiment's phases in order and leaves a complete run folder, whatever ends the run.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import type { EvaluationReport, TrainResult } from '../../protocol/host';
import { describePreprocessing } from '../../shared/preprocessing';
import { stateEmitter, writeFileAtomic } from '../runs';
import { EVALUATION_FILE, exportModel, report } from './artifacts';
import { reportClassWeights } from './classWeights';
import { evaluateSource } from './evaluate';
import { createHeadLayers, createPooling, headModel } from './head';
import { frozenRecipe } from './parallelRecipe';
import { preparePhase, type PhaseContext, type PreparedPhase } from './phaseSetup';
import { runPhases } from './phases';
import { setUpRun, type SetupOptions } from './runSetup';
import { disposeLayerWeights, restoreWeights, snapshotWeights } from './tensors';

export async function trainExperiment(options: SetupOptions): Promise<TrainResult> {
  const started = performance.now();
  const { listener } = options;
  const setup = await setUpRun(options);
  const { runDir, plan, base, engine } = setup;
  const experiment = setup.loaded.experiment;
  const skipped = new Map<string, string>();
  const emitState = stateEmitter(runDir, engine, listener, () => skipped.size, describePreprocessing(base.info.preprocessingChoice));
  await emitState('running');
  let head: tf.LayersModel | undefined;
  try {
    const pool = createPooling(experiment.head.pooling);
    const featureShape = (pool.computeOutputShape(base.model.outputs[0].shape) as number[]).slice(1);
    const headLayers = createHeadLayers(experiment.head, plan.classes.length, experiment.seed);
    head = headModel(featureShape, headLayers);
    const everTrained = new Set(setup.trainableSets.flatMap((set) => [...set]));
    const tracked = [...base.model.layers.filter((layer) => everTrained.has(layer.name)), ...headLayers];
    if (setup.checkpoint) restoreWeights(tracked, setup.checkpoint.tensors);
    const ctx: PhaseContext = {
      base: base.model, fingerprint: base.info.fingerprint, cutLayer: base.info.cutLayer, inputSize: base.info.inputSize,
      preprocessing: base.info.preprocessing, pool, head, experiment, trainSamples: plan.train, cacheDir: options.cacheDir,
      signal: options.signal, progress: listener.progress.bind(listener),
      recipeFor: (output) => frozenRecipe(engine.name, base.info, options.cacheDir, output, experiment.base.sha256),
      skipped: (files) => files.forEach((f) => skipped.set(f.path, f.reason)),
    };
    const { state: phasesState, message, epochsRun, summaries, prepared } = await runPhases<PreparedPhase>({
      runDir, experiment, listener, signal: options.signal, checkpoint: setup.checkpoint, classWeights: setup.classWeights,
      prepare: (p) => preparePhase(ctx, setup.trainableSets[p], experiment.phases[p].batchSize),
      validation: (phase) => phase.evaluationSource(plan.val),
      snapshot: () => snapshotWeights(tracked),
      restore: (saved) => restoreWeights(tracked, saved),
      emitState,
    });
    let state = phasesState;
    let valAccuracy = NaN;
    if (state === 'running' && prepared) {
      const evaluation = await finalEvaluation(prepared, plan, skipped);
      await writeFileAtomic(join(runDir, EVALUATION_FILE), JSON.stringify(evaluation, null, 2));
      valAccuracy = evaluation.val.accuracy;
      await exportModel(runDir, base.model, pool, headLayers, {
        classes: plan.classes, inputSize: base.info.inputSize, preprocessing: base.info.preprocessing, preprocessingReason: describePreprocessing(base.info.preprocessingChoice),
        base: base.info.id, featureLayer: base.info.cutLayer,
      });
      state = 'completed';
    }
    await writeFileAtomic(join(runDir, 'skipped.json'), JSON.stringify([...skipped].map(([path, reason]) => ({ path, reason })), null, 2));
    await emitState(state, { message });
    return {
      runDir, state, engine, epochs: epochsRun, seconds: (performance.now() - started) / 1000, valAccuracy,
      phases: summaries, skippedFiles: skipped.size, message, classWeights: reportClassWeights(setup.classWeights, plan.classes),
    };
  } catch (error) {
    await emitState('failed', { message: (error as Error).message });
    throw error;
  } finally {
    disposeLayerWeights([...base.model.layers, ...(head?.layers ?? [])]);
  }
}

async function finalEvaluation(prepared: PreparedPhase, plan: Awaited<ReturnType<typeof setUpRun>>['plan'], skipped: Map<string, string>) {
  const evaluate = async (split: string, samples: typeof plan.val): Promise<EvaluationReport> => {
    const source = await prepared.evaluationSource(samples);
    const result = await evaluateSource(prepared.forward, source);
    const missed = samples.filter((s) => skipped.has(s.path)).map((s) => ({ path: s.path, reason: skipped.get(s.path)! }));
    return report(split, plan.classes, result, missed);
  };
  return { val: await evaluate('val', plan.val), test: plan.test.length > 0 ? await evaluate('test', plan.test) : undefined };
}
