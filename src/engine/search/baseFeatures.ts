// One candidate base's pooled features of the training images: computed once (with the base's own preprocessing) into
// the same cache entries a feature-extraction run reads, then held in memory for the search's many short trainings.
import * as tf from '@tensorflow/tfjs';
import type { Experiment } from '../../protocol/experiment';
import type { ProgressMessage } from '../../protocol/host';
import type { Sample } from '../data';
import { probeOrder } from '../models/detectPreprocessing';
import { loadBaseModel, type BaseModelInfo } from '../models/load';
import { ensureActivations } from '../training/features';
import { FeatureStore, featureKey, pooledOutput } from '../training/featureStore';
import { createPooling } from '../training/head';
import { frozenForward, frozenRecipe } from '../training/parallelRecipe';
import { disposeLayerWeights } from '../training/tensors';

export interface BaseFeatures {
  info: BaseModelInfo;
  rows: Float32Array;
  width: number;
  /** Label of each row; rows are the training samples that could be read, in order. */
  labels: number[];
  /** Median forward time of the base (and pooling) per image on this engine, batch of 8. */
  msPerImage: number;
  /** Images whose features were not in the cache yet. */
  computed: number;
}

export interface BaseLoad {
  ref: string;
  /** The experiment's own base keeps its featureLayer, preprocessing, sha256 and weights; another base uses its defaults. */
  own: boolean;
}

const TIMING_BATCH = 8;
const TIMING_RUNS = 3;

function msPerImage(forward: (x: tf.Tensor4D) => tf.Tensor, inputSize: number): number {
  const times: number[] = [];
  const x = tf.zeros([TIMING_BATCH, inputSize, inputSize, 3]) as tf.Tensor4D;
  for (let run = 0; run <= TIMING_RUNS; run++) {
    const started = performance.now();
    tf.tidy(() => forward(x).dataSync());
    if (run > 0) times.push((performance.now() - started) / TIMING_BATCH); // the first run warms up kernels
  }
  x.dispose();
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

export async function baseFeatures(
  base: BaseLoad, experiment: Experiment, train: Sample[],
  options: { cacheDir: string; engine: string; signal?: AbortSignal; progress(message: ProgressMessage): void },
): Promise<BaseFeatures> {
  const own = base.own ? experiment.base : undefined;
  const { model, info } = await loadBaseModel(base.ref, {
    inputSize: experiment.data.inputSize, cutLayer: own?.featureLayer, preprocessing: own?.preprocessing, sha256: own?.sha256, weightsFile: own?.weights,
    cacheDir: options.cacheDir, probeImages: probeOrder(train, experiment.seed), signal: options.signal,
    onProgress: (p) => options.progress({ stage: 'download', done: p.loaded, total: p.total ?? 0, message: `downloading ${p.file}` }),
  });
  try {
    const { pooling } = experiment.head;
    const pool = createPooling(pooling);
    const shape = (pool.computeOutputShape(model.outputs[0].shape) as number[]).slice(1);
    const output = pooledOutput(info.cutLayer, pooling);
    const store = new FeatureStore(options.cacheDir, featureKey(info, output), shape);
    const forward = (x: tf.Tensor4D) => pool.apply(model.apply(x)) as tf.Tensor;
    const recipe = frozenRecipe(options.engine, info, options.cacheDir, { pooling }, own?.sha256);
    const result = await ensureActivations({
      samples: train, store, ...(recipe ? { frozenBase: { model, recipe } } : { forward }), inputSize: info.inputSize, preprocessing: info.preprocessing,
      batchSize: 32, signal: options.signal,
      onProgress: (done, total) => options.progress({ stage: 'features', done, total, message: `features of ${info.displayName} for ${total} images` }),
    });
    const width = store.length;
    const rows = new Float32Array(result.items.length * width);
    for (const [i, item] of result.items.entries()) rows.set((await store.get(item.hash))!, i * width);
    // timed the way a run computes the base: BatchNorm folded into the convs when the engine has a frozen recipe
    const folded = recipe && frozenForward(model, recipe);
    try {
      return { info, rows, width, labels: result.items.map((item) => item.label), msPerImage: msPerImage(folded ? (x) => folded.run(x) : forward, info.inputSize), computed: result.computed };
    } finally {
      folded?.dispose();
    }
  } finally {
    disposeLayerWeights(model.layers);
  }
}
