// Everything a run needs before its first step: experiment, engine, data plan, base model, run folder, resume point.
import { dirname, join } from 'node:path';
import type { Experiment } from '../../protocol/experiment';
import type { TrainingListener } from '../../protocol/host';
import { selectEngine, type EngineInfo } from '../backend/select';
import { loadExperimentFile, type LoadedExperiment } from '../experiment/load';
import { resolveTrainable } from '../models/freeze';
import { describeLayers } from '../models/layerTree';
import { probeOrder } from '../models/detectPreprocessing';
import { loadBaseModel } from '../models/load';
import { describePreprocessing } from '../../shared/preprocessing';
import { appendMetrics, EXPERIMENT_FILE, openRun, type LoadedCheckpoint } from '../runs';
import { countByClass, resolveClassWeights, type ResolvedClassWeights } from './classWeights';
import { planData, type DataPlan } from './dataPlan';

export interface RunSetup {
  loaded: LoadedExperiment;
  engine: EngineInfo;
  plan: DataPlan;
  base: Awaited<ReturnType<typeof loadBaseModel>>;
  trainableSets: Set<string>[];
  runDir: string;
  checkpoint: LoadedCheckpoint | null;
  classWeights: ResolvedClassWeights;
}

export interface SetupOptions {
  experimentFile: string;
  runsRoot?: string;
  resumeRunDir?: string;
  cacheDir: string;
  engine?: Experiment['engine'];
  signal?: AbortSignal;
  listener: TrainingListener;
}

/** The experiment as run, with every path absolute, so the run folder alone can resume or be re-evaluated. */
function snapshotOf(loaded: LoadedExperiment): Experiment {
  const { root, train, val, test } = loaded.folders;
  const data = { ...loaded.experiment.data, root, train, val, test };
  return { ...loaded.experiment, data, base: { ...loaded.experiment.base, model: loaded.baseModelRef, weights: loaded.baseWeights } };
}

export async function setUpRun(options: SetupOptions): Promise<RunSetup> {
  const { listener } = options;
  const loaded = await loadExperimentFile(options.resumeRunDir !== undefined ? join(options.resumeRunDir!, EXPERIMENT_FILE) : options.experimentFile);
  const { experiment } = loaded;
  const engine = await selectEngine(options.engine ?? experiment.engine);
  listener.log({ level: 'info', message: `engine: ${engine.detail}` });
  const plan = await planData(loaded);
  listener.log({ level: 'info', message: `data: ${plan.classes.length} classes, ${plan.train.length} train / ${plan.val.length} val / ${plan.test.length} test images` });
  for (const problem of plan.problems) listener.log({ level: 'warn', message: `${problem.path}: ${problem.message}` });
  const classWeights = resolveClassWeights(experiment.classWeights, plan.classes, countByClass(plan.train, plan.classes.length));
  const base = await loadBaseModel(loaded.baseModelRef, {
    inputSize: experiment.data.inputSize,
    cutLayer: experiment.base.featureLayer,
    cacheDir: options.cacheDir,
    sha256: experiment.base.sha256,
    preprocessing: experiment.base.preprocessing,
    probeImages: probeOrder(plan.train, experiment.seed),
    weightsFile: loaded.baseWeights,
    signal: options.signal,
    onProgress: (p) => listener.progress({ stage: 'download', done: p.loaded, total: p.total ?? 0, message: `downloading ${p.file}` }),
  });
  listener.log({ level: 'info', message: `base: ${base.info.displayName} at ${base.info.inputSize}px, features from ${base.info.cutLayer}, weights: ${base.info.weights} — ${base.info.origin}` });
  const { preprocessingChoice } = base.info;
  listener.log({ level: preprocessingChoice.guess ? 'warn' : 'info', message: `preprocessing: ${describePreprocessing(preprocessingChoice)}` });
  const layers = describeLayers(base.model);
  const trainableSets = experiment.phases.map((phase) => resolveTrainable(layers, phase.trainable));

  const { runDir, checkpoint } = await openRun({
    resumeRunDir: options.resumeRunDir, runsRoot: options.runsRoot ?? join(dirname(loaded.file), 'runs'),
    name: experiment.name, snapshot: snapshotOf(loaded), classes: plan.classes, listener,
  });
  // warnings stay with the run (its log does not): a reader of metrics.jsonl learns why a class has no validation numbers
  const warnings = options.resumeRunDir === undefined ? plan.problems.filter((p) => p.kind === 'single-image') : [];
  for (const { path, message } of warnings) await appendMetrics(runDir, { type: 'event', event: 'data-warning', phase: '', phaseIndex: 0, epoch: 0, path, message });
  return { loaded, engine, plan, base, trainableSets, runDir, checkpoint, classWeights };
}
