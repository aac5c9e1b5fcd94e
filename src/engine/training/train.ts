// Runs an experiment's phases in order and leaves a complete run folder, whatever ends the run.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { phaseName, type PhaseSpec } from '../../protocol/experiment';
import type { EvaluationReport, PhaseSummary, RunStatus, TrainResult } from '../../protocol/host';
import { appendMetrics, BEST_TAG, epochCheckpointTag, pruneCheckpoints, saveCheckpoint, writeFileAtomic, writeRunState } from '../runs';
import { EVALUATION_FILE, exportModel, report } from './artifacts';
import { evaluateSource } from './evaluate';
import { createHeadLayers, createPooling, headModel } from './head';
import { runPhaseLoop, type PhaseOutcome } from './loop';
import { frozenRecipe } from './parallelRecipe';
import { preparePhase, type PhaseContext, type PreparedPhase } from './phaseSetup';
import { setUpRun, type SetupOptions } from './runSetup';
import { disposeLayerWeights, restoreWeights, snapshotWeights, type NamedWeights } from './tensors';

function createOptimizer(phase: PhaseSpec): tf.Optimizer {
  if (phase.optimizer === 'sgd') return tf.train.sgd(phase.learningRate);
  if (phase.optimizer === 'rmsprop') return tf.train.rmsprop(phase.learningRate);
  return tf.train.adam(phase.learningRate);
}

/** Where to start: after the restored checkpoint's epoch, or at the next phase when that phase had finished. */
function startPoint(setup: Awaited<ReturnType<typeof setUpRun>>, phases: PhaseSpec[]): { phaseIndex: number; epoch: number } {
  const manifest = setup.checkpoint?.manifest;
  if (!manifest) return { phaseIndex: 0, epoch: 1 };
  const finished = manifest.extra?.phaseFinished === true || manifest.epoch >= phases[manifest.phaseIndex].epochs;
  return finished ? { phaseIndex: manifest.phaseIndex + 1, epoch: 1 } : { phaseIndex: manifest.phaseIndex, epoch: manifest.epoch + 1 };
}

const FINAL_STATE: Record<PhaseOutcome['kind'], RunStatus> = { completed: 'running', 'stopped-early': 'running', cancelled: 'cancelled', diverged: 'diverged' };

export async function trainExperiment(options: SetupOptions): Promise<TrainResult> {
  const started = performance.now();
  const { listener } = options;
  const setup = await setUpRun(options);
  const { runDir, plan, base, engine } = setup;
  const experiment = setup.loaded.experiment;
  const skipped = new Map<string, string>();
  const emitState = async (state: RunStatus, extra: { phase?: string; epoch?: number; message?: string } = {}) => {
    await writeRunState(runDir, { state, engine: engine.detail, pid: process.pid, skippedFiles: skipped.size, ...extra });
    listener.runState({ runDir, state, engine, ...extra });
  };
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
    const start = startPoint(setup, experiment.phases);
    const summaries: PhaseSummary[] = [];
    let prepared: PreparedPhase | undefined;
    let state: RunStatus = 'running';
    let message: string | undefined;
    let epochsRun = 0;
    for (let p = start.phaseIndex; p < experiment.phases.length && state === 'running'; p++) {
      const phase = experiment.phases[p];
      const name = phaseName(phase, p);
      prepared = await preparePhase(ctx, setup.trainableSets[p], phase.batchSize);
      listener.log({ level: 'info', message: `phase ${p + 1}/${experiment.phases.length} "${name}": ${prepared.trainableParams.toLocaleString('en-US')} trainable parameters; ${prepared.description}` });
      const val = await prepared.evaluationSource(plan.val);
      const optimizer = createOptimizer(phase);
      let best: NamedWeights[] | undefined;
      const writes: Promise<void>[] = [];
      const outcome = await runPhaseLoop({
        forward: prepared.forward, variables: prepared.variables, optimizer, train: prepared.train, val,
        firstEpoch: p === start.phaseIndex ? start.epoch : 1, lastEpoch: phase.epochs, batchSize: phase.batchSize,
        earlyStopping: experiment.callbacks.earlyStopping, signal: options.signal,
        onStep: (step) => {
          const metrics = { runDir, phase: name, phaseIndex: p, learningRate: phase.learningRate, ...step };
          listener.batch(metrics);
          writes.push(appendMetrics(runDir, { type: 'batch', ...metrics, runDir: undefined }));
        },
        onEpoch: async (epoch) => {
          epochsRun += 1;
          await Promise.all(writes.splice(0));
          const meta = { phase: name, phaseIndex: p, epoch: epoch.epoch, extra: { phaseFinished: epoch.epoch === phase.epochs } };
          await saveCheckpoint(runDir, epochCheckpointTag(p, epoch.epoch), snapshotWeights(tracked), meta);
          if (epoch.improved) await saveCheckpoint(runDir, BEST_TAG, best ?? snapshotWeights(tracked), meta);
          await pruneCheckpoints(runDir, experiment.callbacks.checkpoint.keep);
          const record = { phase: name, phaseIndex: p, epochs: phase.epochs, learningRate: phase.learningRate, ...epoch };
          await appendMetrics(runDir, { type: 'epoch', ...record });
          listener.epoch({ runDir, ...record });
          await emitState('running', { phase: name, epoch: epoch.epoch });
        },
        onImproved: () => (best = snapshotWeights(tracked)),
        restoreBest: () => best && restoreWeights(tracked, best),
      });
      await Promise.all(writes);
      optimizer.dispose();
      state = FINAL_STATE[outcome.kind];
      if (outcome.kind === 'diverged') message = `loss became ${outcome.loss} at phase "${name}", epoch ${outcome.epoch}, batch ${outcome.batch}; the last good checkpoint is kept — lower the learning rate`;
      if (outcome.kind === 'cancelled') message = `stopped by the user during phase "${name}", epoch ${outcome.epoch}`;
      if (outcome.kind === 'completed' || outcome.kind === 'stopped-early') {
        if (outcome.restoredEpoch) listener.log({ level: 'info', message: `phase "${name}": restored the weights of its best epoch, ${outcome.restoredEpoch}` });
        summaries.push({ name, epochs: outcome.epoch, valAccuracy: outcome.val?.accuracy ?? NaN, valLoss: outcome.val?.loss ?? NaN, trainableParams: prepared.trainableParams, stoppedEarly: outcome.kind === 'stopped-early' });
      }
    }
    let valAccuracy = NaN;
    if (state === 'running' && prepared) {
      const evaluation = await finalEvaluation(prepared, plan, skipped);
      await writeFileAtomic(join(runDir, EVALUATION_FILE), JSON.stringify(evaluation, null, 2));
      valAccuracy = evaluation.val.accuracy;
      await exportModel(runDir, base.model, pool, headLayers, {
        classes: plan.classes, inputSize: base.info.inputSize, preprocessing: base.info.preprocessing, base: base.info.id, featureLayer: base.info.cutLayer,
      });
      state = 'completed';
    }
    await writeFileAtomic(join(runDir, 'skipped.json'), JSON.stringify([...skipped].map(([path, reason]) => ({ path, reason })), null, 2));
    await emitState(state, { message });
    return {
      runDir, state, engine, epochs: epochsRun, seconds: (performance.now() - started) / 1000, valAccuracy,
      phases: summaries, skippedFiles: skipped.size, message,
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
