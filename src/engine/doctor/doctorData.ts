// What the doctor examines: the images of a data folder or of an experiment (its splits, as its runs make them),
// each with its split, and the base whose pooled features describe them — read from the feature cache that training
// fills too, so at most one base pass ever happens.
import type * as tf from '@tensorflow/tfjs';
import { stat } from 'node:fs/promises';
import type { DoctorSplit, ProgressMessage } from '../../protocol/host';
import type { Experiment } from '../../protocol/experiment';
import type { EngineInfo } from '../backend/select';
import { scanDataset, type Sample } from '../data';
import { loadExperimentFile } from '../experiment/load';
import { chooseDefaultBase } from '../models/defaultBase';
import { probeOrder } from '../models/detectPreprocessing';
import { loadBaseModel } from '../models/load';
import { planData } from '../training/dataPlan';
import { featureKey, FeatureStore, pooledOutput } from '../training/featureStore';
import { ensureActivations } from '../training/features';
import { createPooling } from '../training/head';
import { readRows } from '../training/sources';
import { frozenRecipe } from '../training/parallelRecipe';
import { disposeLayerWeights } from '../training/tensors';
import type { FeatureMatrix } from './labelIssues';

export interface DoctorSample extends Sample {
  split: DoctorSplit;
}

/** The images to examine and how their features are made. */
export interface DoctorPlan {
  classes: string[];
  samples: DoctorSample[];
  counts: Record<string, Record<DoctorSplit, number>>;
  seed: number;
  base: { ref: string; inputSize?: number; cutLayer?: string; preprocessing?: Experiment['base']['preprocessing']; sha256?: string; weightsFile?: string };
  pooling: Experiment['head']['pooling'];
}

export interface DoctorFeatures {
  /** The readable samples, in the order of the matrix's rows, with their content hashes. */
  samples: (DoctorSample & { hash: string })[];
  matrix: FeatureMatrix;
  skipped: { path: string; reason: string }[];
  /** Images that needed a base pass (0 when the cache had them all). */
  computed: number;
  baseName: string;
}

const BATCH_SIZE = 32;
/** A data folder has no seed of its own: the doctor's folds are the same on every call. */
const FOLDER_SEED = 42;

function withSplit(samples: Record<DoctorSplit, Sample[]>): DoctorSample[] {
  return (['train', 'val', 'test'] as const).flatMap((split) => samples[split].map((s) => ({ ...s, split })));
}

function countsOf(classes: string[], samples: DoctorSample[]): DoctorPlan['counts'] {
  const counts = Object.fromEntries(classes.map((name) => [name, { train: 0, val: 0, test: 0 }]));
  for (const s of samples) counts[classes[s.label]][s.split]++;
  return counts;
}

/** An experiment file (its data as its runs split it, its base) or a data folder (its split folders, the given or default base). */
export async function planDoctor(target: string, base: string | undefined, cacheDir: string): Promise<DoctorPlan> {
  const info = await stat(target).catch((error: NodeJS.ErrnoException) => {
    throw Object.assign(new Error(`${target}: ${error.code === 'ENOENT' ? 'not found' : `cannot read it (${error.code})`} — give a data folder (one sub-folder per class) or an experiment file`), { cause: error });
  });
  if (info.isFile()) {
    const loaded = await loadExperimentFile(target);
    const plan = await planData(loaded);
    const samples = withSplit(plan);
    const { experiment } = loaded;
    const own = base === undefined;
    return {
      classes: plan.classes, samples, counts: countsOf(plan.classes, samples), seed: experiment.seed, pooling: experiment.head.pooling,
      base: own
        ? { ref: loaded.baseModelRef, inputSize: experiment.data.inputSize, cutLayer: experiment.base.featureLayer, preprocessing: experiment.base.preprocessing, sha256: experiment.base.sha256, weightsFile: loaded.baseWeights }
        : { ref: base },
    };
  }
  const scan = await scanDataset(target);
  const samples = withSplit(scan.samples);
  return {
    classes: scan.classes, samples, counts: countsOf(scan.classes, samples), seed: FOLDER_SEED, pooling: 'avg',
    base: { ref: base ?? (await chooseDefaultBase({ cacheDir })).base },
  };
}

/** Pooled features of every readable sample: from the cache, computing (once) only what it lacks. */
export async function doctorFeatures(plan: DoctorPlan, engine: EngineInfo, cacheDir: string, progress: (message: ProgressMessage) => void, signal?: AbortSignal, cachedOnly = false): Promise<DoctorFeatures> {
  const { model, info } = await loadBaseModel(plan.base.ref, {
    ...plan.base, cacheDir, signal, probeImages: probeOrder(plan.samples.filter((s) => s.split === 'train'), plan.seed),
    onProgress: (p) => progress({ stage: 'download', done: p.loaded, total: p.total ?? 0, message: `downloading ${p.file}` }),
  });
  try {
    const pool = createPooling(plan.pooling);
    const shape = (pool.computeOutputShape(model.outputs[0].shape) as number[]).slice(1);
    const output = pooledOutput(info.cutLayer, plan.pooling);
    const store = new FeatureStore(cacheDir, featureKey(info, output), shape);
    const recipe = frozenRecipe(engine.name, info, cacheDir, { pooling: plan.pooling }, plan.base.sha256);
    const computation = recipe ? { frozenBase: { model, recipe } } : { forward: (x: tf.Tensor4D) => pool.apply(model.apply(x)) as tf.Tensor };
    const result = await ensureActivations({
      samples: plan.samples, store, ...computation, inputSize: info.inputSize, preprocessing: info.preprocessing, batchSize: BATCH_SIZE, signal, cachedOnly,
      onProgress: (done, total) => progress({ stage: 'features', done, total, message: `computing ${output} for ${total} images` }),
    });
    const splitOf = new Map(plan.samples.map((s) => [s.path, s.split]));
    const samples = result.items.map((item) => ({ path: item.path, label: item.label, hash: item.hash, split: splitOf.get(item.path)! }));
    const width = store.length;
    const values = new Float32Array(samples.length * width);
    await readRows(samples, { shape: store.shape, read: (item) => store.get(item.hash) }, width, values);
    return { samples, matrix: { values, rows: samples.length, width }, skipped: result.skipped, computed: result.computed, baseName: info.displayName };
  } finally {
    disposeLayerWeights(model.layers);
  }
}
