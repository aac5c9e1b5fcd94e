// Runs a text experiment's phases with the image path's loop, metrics log, checkpoints and run state, and leaves
// the same run folder (metrics.jsonl, evaluation.json, state.json, checkpoints/, model/) for the dashboard.
import { dirname, join } from 'node:path';
import type { EvaluationReport, TrainingListener, TrainResult } from '../../protocol/host';
import { selectEngine } from '../backend/select';
import { resolveTrainable } from '../models/freeze';
import { EXPERIMENT_FILE, openRun, stateEmitter, writeFileAtomic } from '../runs';
import { EVALUATION_FILE } from '../training/artifacts';
import { countByClass, reportClassWeights, resolveClassWeights } from '../training/classWeights';
import { evaluateSource } from '../training/evaluate';
import { createHeadLayers, headModel } from '../training/head';
import { runPhases } from '../training/phases';
import type { PreparedPhase } from '../training/phaseSetup';
import { disposeLayerWeights, restoreWeights, snapshotWeights } from '../training/tensors';
import { loadBertBase, type BertBase } from './bertBase';
import { describeBertLayers, weightNamesOf } from './bertLayers';
import type { NamedTensor } from './bertModel';
import { exportTextModel } from './textArtifacts';
import { measureTokens } from './textDataset';
import { textReport } from './textUse';
import { loadTextExperimentFile, type LoadedTextExperiment, type TextExperiment } from './textExperiment';
import { prepareTextPhase } from './textPhase';
import { planTextData, skippedTexts, type TextPlan } from './textPlan';

export interface TextTrainOptions {
  experimentFile: string;
  runsRoot?: string;
  resumeRunDir?: string;
  cacheDir: string;
  engine?: TextExperiment['engine'];
  signal?: AbortSignal;
  listener: TrainingListener;
}

/** Problems beyond this many go to data-problems.json only, so a noisy dataset does not flood the log. */
const LOGGED_PROBLEMS = 20;

/** The experiment as run, with absolute paths, so the run folder alone can resume or be re-evaluated. */
function snapshotOf(loaded: LoadedTextExperiment): TextExperiment {
  const { experiment, sources, baseRef } = loaded;
  return { ...experiment, data: { ...experiment.data, ...sources }, base: { ...experiment.base, model: baseRef } };
}

function logData(listener: TrainingListener, plan: TextPlan, base: BertBase, maxLength: number): void {
  const log = (message: string, level: 'info' | 'warn' = 'info') => listener.log({ level, message });
  const columns = plan.columns ? `; text column "${plan.columns.text}", label column "${plan.columns.label}" (${plan.columns.how === 'values' ? 'guessed from the values' : `from the ${plan.columns.how === 'named' ? 'experiment' : 'header'}`})` : '';
  log(`data: ${plan.classes.length} classes (${plan.classes.join(', ')}), ${plan.train.length} train / ${plan.val.length} val / ${plan.test.length} test texts, ${plan.format}${columns}`);
  const tokens = measureTokens([...plan.train, ...plan.val, ...plan.test], plan.texts, base.tokenizer, maxLength);
  plan.problems.push(...tokens.problems);
  const { mean, p95, longest, truncated } = tokens.stats;
  log(`tokens per text: mean ${mean.toFixed(1)}, 95th percentile ${p95}, longest ${longest}; ${truncated} text(s) cut to maxLength ${maxLength}`, truncated ? 'warn' : 'info');
  const skipped = skippedTexts(plan.problems);
  for (const problem of skipped.slice(0, LOGGED_PROBLEMS)) log(`${problem.path}: ${problem.reason}`, 'warn');
  if (skipped.length > LOGGED_PROBLEMS) log(`… and ${skipped.length - LOGGED_PROBLEMS} more data problems (see data-problems.json in the run folder)`, 'warn');
}

export async function trainTextExperiment(options: TextTrainOptions): Promise<TrainResult> {
  const started = performance.now();
  const { listener } = options;
  const loaded = await loadTextExperimentFile(options.resumeRunDir !== undefined ? join(options.resumeRunDir!, EXPERIMENT_FILE) : options.experimentFile);
  const { experiment } = loaded;
  const engine = await selectEngine(options.engine ?? experiment.engine);
  listener.log({ level: 'info', message: `engine: ${engine.detail}` });
  const plan = await planTextData(loaded);
  const base = await loadBertBase(loaded.baseRef, {
    cacheDir: options.cacheDir, revision: experiment.base.revision, signal: options.signal, maxLength: experiment.data.maxLength,
    onProgress: (p) => listener.progress({ stage: 'download', done: p.loaded, total: p.total ?? 0, message: `downloading ${p.file}` }),
  });
  const { maxLength } = experiment.data;
  const { pooling } = experiment.head;
  listener.log({ level: 'info', message: `base: BERT L-${base.config.numLayers} H-${base.config.hiddenSize} A-${base.config.numHeads}, ${base.info.params.toLocaleString('en-US')} parameters — ${base.info.origin}` });
  logData(listener, plan, base, maxLength);
  const layers = describeBertLayers(base.model, { maxLength, pooling });
  const trainableSets = experiment.phases.map((phase) => resolveTrainable(layers, phase.trainable));
  const classWeights = resolveClassWeights(experiment.classWeights, plan.classes, countByClass(plan.train, plan.classes.length));

  const { runDir, checkpoint } = await openRun({
    resumeRunDir: options.resumeRunDir, runsRoot: options.runsRoot ?? join(dirname(loaded.file), 'runs'),
    name: experiment.name, snapshot: snapshotOf(loaded), classes: plan.classes, listener,
  });
  await writeFileAtomic(join(runDir, 'data-problems.json'), JSON.stringify(plan.problems, null, 2));
  const skipped = skippedTexts(plan.problems);
  const emitState = stateEmitter(runDir, engine, listener, () => skipped.length);
  await emitState('running');

  const headLayers = createHeadLayers({ ...experiment.head, pooling: 'avg' }, plan.classes.length, experiment.seed);
  const head = headModel([base.config.hiddenSize], headLayers);
  const trainedNames = [...new Set(trainableSets.flatMap((set) => weightNamesOf(base.model, set)))];
  const snapshot = (): NamedTensor[] => [...snapshotWeights(headLayers), ...base.model.snapshot(trainedNames)];
  const restore = (saved: readonly NamedTensor[]) => {
    restoreWeights(headLayers, saved.filter((w) => !base.model.weights.has(w.name)));
    base.model.restore(saved.filter((w) => trainedNames.includes(w.name)));
  };
  try {
    if (checkpoint) restore(checkpoint.tensors);
    const ctx = {
      base, head, pooling, maxLength, texts: plan.texts, trainSamples: plan.train, seed: experiment.seed, cacheDir: options.cacheDir,
      signal: options.signal, progress: listener.progress.bind(listener),
    };
    const { state: phasesState, message, epochsRun, summaries, prepared } = await runPhases<PreparedPhase>({
      runDir, experiment, listener, signal: options.signal, checkpoint, classWeights,
      prepare: (p) => prepareTextPhase(ctx, trainableSets[p], experiment.phases[p].batchSize),
      validation: (phase) => phase.evaluationSource(plan.val),
      snapshot, restore, emitState,
    });
    let state = phasesState;
    let valAccuracy = NaN;
    if (state === 'running' && prepared) {
      const evaluate = async (split: string, samples: typeof plan.val): Promise<EvaluationReport> => textReport(split, plan.classes, await evaluateSource(prepared!.forward, await prepared!.evaluationSource(samples)), plan.texts);
      const evaluation = { val: await evaluate('val', plan.val), test: plan.test.length > 0 ? await evaluate('test', plan.test) : undefined };
      await writeFileAtomic(join(runDir, EVALUATION_FILE), JSON.stringify(evaluation, null, 2));
      valAccuracy = evaluation.val.accuracy;
      await exportTextModel(runDir, base, headLayers, {
        kind: 'text', classes: plan.classes, maxLength, pooling, head: { hiddenUnits: experiment.head.hiddenUnits, dropout: experiment.head.dropout },
        base: { ref: loaded.baseRef, revision: experiment.base.revision, fingerprint: base.info.fingerprint, origin: base.info.origin }, trainedWeights: trainedNames,
      });
      state = 'completed';
    }
    await writeFileAtomic(join(runDir, 'skipped.json'), JSON.stringify(skipped, null, 2));
    await emitState(state, { message });
    return { runDir, state, engine, epochs: epochsRun, seconds: (performance.now() - started) / 1000, valAccuracy, phases: summaries, skippedFiles: skipped.length, message, classWeights: reportClassWeights(classWeights, plan.classes) };
  } catch (error) {
    await emitState('failed', { message: (error as Error).message });
    throw error;
  } finally {
    disposeLayerWeights(head.layers);
    base.model.dispose();
  }
}
