// What a worker thread needs to rebuild the frozen part of a network by itself: a closure over a model cannot
// cross threads, but the model's reference, load options and the name of the output it stops at can.
import * as tf from '@tensorflow/tfjs';
import type { Experiment } from '../../protocol/experiment';
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
    cacheDir: string;
    /** The worker refuses to compute if its copy of the base differs. */
    fingerprint: string;
  };
  /** The whole base then head pooling (feature extraction), or the base up to one layer (fine-tuning's cached prefix). */
  output: { pooling: Experiment['head']['pooling'] } | { layer: string };
}

export function frozenRecipe(
  engine: string, info: BaseModelInfo, cacheDir: string, output: FrozenRecipe['output'], sha256?: string,
): FrozenRecipe | undefined {
  if (engine !== 'wasm' && engine !== 'cpu') return undefined;
  const { ref, inputSize, cutLayer, preprocessing, fingerprint } = info;
  return { engine, base: { ref, inputSize, cutLayer, preprocessing, sha256, cacheDir, fingerprint }, output };
}

/** The frozen computation of `recipe` over an already loaded base. */
export function frozenForward(model: tf.LayersModel, recipe: FrozenRecipe): (input: tf.Tensor4D) => tf.Tensor {
  const { output } = recipe;
  if ('pooling' in output) {
    const pool = createPooling(output.pooling);
    return (input) => pool.apply(model.apply(input)) as tf.Tensor;
  }
  const prefix = tf.model({ inputs: model.inputs, outputs: model.getLayer(output.layer).output as tf.SymbolicTensor });
  return (input) => prefix.apply(input) as tf.Tensor;
}

/** Loads the recipe's base as the main thread did and checks it is the same model. */
export async function loadFrozen(recipe: FrozenRecipe): Promise<(input: tf.Tensor4D) => tf.Tensor> {
  const { ref, inputSize, cutLayer, preprocessing, sha256, cacheDir, fingerprint } = recipe.base;
  const { model, info } = await loadBaseModel(ref, { inputSize, cutLayer, preprocessing, sha256, cacheDir });
  if (info.fingerprint !== fingerprint) {
    throw new Error(`worker loaded ${ref} with fingerprint ${info.fingerprint.slice(0, 12)}, expected ${fingerprint.slice(0, 12)}: the model changed on disk`);
  }
  return frozenForward(model, recipe);
}
