// What a worker thread needs to rebuild the frozen part of a network by itself: a closure over a model cannot
// cross threads, but the model's reference, load options and the name of the output it stops at can.
import * as tf from '@tensorflow/tfjs';
import type { Experiment } from '../../protocol/experiment';
import { foldFrozenGraph } from '../backend/frozenGraph';
import { loadBaseModel, type BaseModelInfo } from '../models/load';
import type { Preprocessing } from '../models/preprocess';
import { createPooling } from './head';

export interface FrozenRecipe {
  /** Engines that compute on one thread per process; tfjs-node already uses every core. */
  engine: 'wasm' | 'cpu';
  base: {
    ref: string;
    inputSize: number;
    cutLayer: string;
    preprocessing: Preprocessing;
    sha256?: string;
    weightsFile?: string;
    cacheDir: string;
    /** The worker refuses to compute if its copy of the base differs. */
    fingerprint: string;
    /** false: the worker never downloads (the bench's random-weight bases), as `loadBaseModel`'s option. */
    download?: boolean;
  };
  /** The whole base then head pooling (feature extraction), or the base up to one layer (fine-tuning's cached prefix). */
  output: { pooling: Experiment['head']['pooling'] } | { layer: string };
}

export function frozenRecipe(
  engine: string, info: BaseModelInfo, cacheDir: string, output: FrozenRecipe['output'], sha256?: string,
): FrozenRecipe | undefined {
  if (engine !== 'wasm' && engine !== 'cpu') return undefined;
  const { ref, inputSize, cutLayer, preprocessing, fingerprint, weightsFile } = info;
  return { engine, base: { ref, inputSize, cutLayer, preprocessing, sha256, weightsFile, cacheDir, fingerprint }, output };
}

export interface FrozenPart {
  run(input: tf.Tensor4D): tf.Tensor;
  /** Frees the folded weights (the base's own weights stay with the base). */
  dispose(): void;
}

/**
 * The frozen computation of `recipe` over an already loaded base, with BatchNorm folded into the convs (see
 * frozenGraph.ts). Workers compute with this; the main thread must too, for the two to agree bit for bit.
 */
export function frozenForward(model: tf.LayersModel, recipe: FrozenRecipe): FrozenPart {
  const { output } = recipe;
  const graph = foldFrozenGraph(model, 'layer' in output ? output.layer : undefined);
  if ('layer' in output) return { run: (input) => graph.run(input), dispose: () => graph.dispose() };
  const pool = createPooling(output.pooling);
  return { run: (input) => tf.tidy(() => pool.apply(graph.run(input)) as tf.Tensor), dispose: () => graph.dispose() };
}

/** Loads the recipe's base as the main thread did and checks it is the same model. */
export async function loadFrozen(recipe: FrozenRecipe): Promise<FrozenPart> {
  const { ref, inputSize, cutLayer, preprocessing, sha256, weightsFile, cacheDir, fingerprint, download } = recipe.base;
  const { model, info } = await loadBaseModel(ref, { inputSize, cutLayer, preprocessing, sha256, weightsFile, cacheDir, download });
  if (info.fingerprint !== fingerprint) {
    throw new Error(`worker loaded ${ref} with fingerprint ${info.fingerprint.slice(0, 12)}, expected ${fingerprint.slice(0, 12)}: the model changed on disk`);
  }
  return frozenForward(model, recipe);
}
