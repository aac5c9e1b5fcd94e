// Image runs: an image experiment's data (class folders), its base (a tfjs/Keras image model) and its head input
// (pooled features or cached activations), plugged into the one trainer.
import * as tf from '@tensorflow/tfjs';
import type { Experiment } from '../../protocol/experiment';
import type { TrainResult } from '../../protocol/host';
import { describePreprocessing } from '../../shared/preprocessing';
import type { EngineInfo } from '../backend/select';
import { loadExperimentFile, type LoadedExperiment } from '../experiment/load';
import { probeOrder } from '../models/detectPreprocessing';
import { resolveTrainable } from '../models/freeze';
import { describeLayers } from '../models/layerTree';
import { loadBaseModel } from '../models/load';
import { appendMetrics } from '../runs';
import { exportModel, report } from './artifacts';
import { countByClass, resolveClassWeights } from './classWeights';
import { planData } from './dataPlan';
import { createHeadLayers, createPooling, headModel } from './head';
import { frozenRecipe } from './parallelRecipe';
import { preparePhase, type PhaseContext } from './phaseSetup';
import { disposeLayerWeights, restoreWeights, snapshotWeights } from './tensors';
import { trainRun, type KindRun, type TrainingKind, type TrainOptions } from './trainer';

/** The experiment as run, with every path absolute, so the run folder alone can resume or be re-evaluated. */
function snapshotOf(loaded: LoadedExperiment): Experiment {
  const { root, train, val, test } = loaded.folders;
  const data = { ...loaded.experiment.data, root, train, val, test, ...(loaded.exclude.length ? { exclude: loaded.exclude } : {}) };
  return { ...loaded.experiment, data, base: { ...loaded.experiment.base, model: loaded.baseModelRef, weights: loaded.baseWeights } };
}

async function openImageRun(loaded: LoadedExperiment, options: TrainOptions, engine: EngineInfo): Promise<KindRun> {
  const { listener } = options;
  const { experiment } = loaded;
  const plan = await planData(loaded);
  const excluded = plan.excluded ? ` (${plan.excluded} excluded by data.exclude)` : '';
  listener.log({ level: 'info', message: `data: ${plan.classes.length} classes, ${plan.train.length} train / ${plan.val.length} val / ${plan.test.length} test images${excluded}` });
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
  const preprocessing = describePreprocessing(preprocessingChoice);
  listener.log({ level: preprocessingChoice.guess ? 'warn' : 'info', message: `preprocessing: ${preprocessing}` });
  let head: tf.LayersModel | undefined;
  try {
    const trainableSets = experiment.phases.map((phase) => resolveTrainable(describeLayers(base.model), phase.trainable));
    const pool = createPooling(experiment.head.pooling);
    const featureShape = (pool.computeOutputShape(base.model.outputs[0].shape) as number[]).slice(1);
    const headLayers = createHeadLayers(experiment.head, plan.classes.length, experiment.seed);
    head = headModel(featureShape, headLayers);
    const everTrained = new Set(trainableSets.flatMap((set) => [...set]));
    const tracked = [...base.model.layers.filter((layer) => everTrained.has(layer.name)), ...headLayers];
    const skipped = new Map<string, string>();
    const ctx: PhaseContext = {
      base: base.model, fingerprint: base.info.fingerprint, cutLayer: base.info.cutLayer, inputSize: base.info.inputSize,
      preprocessing: base.info.preprocessing, pool, head, experiment, trainSamples: plan.train, cacheDir: options.cacheDir,
      signal: options.signal, progress: listener.progress.bind(listener),
      recipeFor: (output) => frozenRecipe(engine.name, base.info, options.cacheDir, output, experiment.base.sha256),
      skipped: (files) => files.forEach((f) => skipped.set(f.path, f.reason)),
    };
    const headLayersModel = head;
    return {
      snapshot: snapshotOf(loaded), classes: plan.classes, val: plan.val, test: plan.test, classWeights, preprocessing,
      // warnings stay with the run (its log does not): a reader of metrics.jsonl learns why a class has no validation numbers
      opened: async (runDir, resumed) => {
        if (resumed) return;
        for (const { path, message } of plan.problems.filter((p) => p.kind === 'single-image')) {
          await appendMetrics(runDir, { type: 'event', event: 'data-warning', phase: '', phaseIndex: 0, epoch: 0, path, message });
        }
      },
      snapshotWeights: () => snapshotWeights(tracked),
      restoreWeights: (saved) => restoreWeights(tracked, saved),
      preparePhase: (p) => preparePhase(ctx, trainableSets[p], experiment.phases[p].batchSize),
      report: (split, samples, evaluation) => report(split, plan.classes, evaluation, samples.filter((s) => skipped.has(s.path)).map((s) => ({ path: s.path, reason: skipped.get(s.path)! }))),
      exportModel: async (runDir) => {
        await exportModel(runDir, base.model, pool, headLayers, {
          classes: plan.classes, inputSize: base.info.inputSize, preprocessing: base.info.preprocessing, preprocessingReason: preprocessing,
          base: base.info.id, featureLayer: base.info.cutLayer,
        });
      },
      skipped: () => [...skipped].map(([path, reason]) => ({ path, reason })),
      dispose: () => disposeLayerWeights([...base.model.layers, ...headLayersModel.layers]),
    };
  } catch (error) {
    disposeLayerWeights([...base.model.layers, ...(head?.layers ?? [])]);
    throw error;
  }
}

export const imageKind: TrainingKind<LoadedExperiment> = { load: loadExperimentFile, open: openImageRun };

export function trainExperiment(options: TrainOptions): Promise<TrainResult> {
  return trainRun(imageKind, options);
}
