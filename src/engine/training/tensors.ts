// Conversions between decoded pixel batches, model inputs and named weight snapshots.
import * as tf from '@tensorflow/tfjs';
import { preprocess, type Preprocessing } from '../models/preprocess';

/** A decoded RGB uint8 batch [B, size, size, 3] → the base model's expected input range. */
export function pixelsToInput(pixels: Uint8Array, size: number, kind: Preprocessing): tf.Tensor4D {
  const count = pixels.length / (size * size * 3);
  return tf.tidy(() => preprocess(tf.tensor4d(new Float32Array(pixels), [count, size, size, 3]), kind));
}

export interface NamedWeights {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** The weights of these layers, keyed by layer name and weight index (stable across reloads of one topology). */
export function snapshotWeights(layers: tf.layers.Layer[]): NamedWeights[] {
  return layers.flatMap((layer) =>
    layer.getWeights().map((weight, i) => ({
      name: `${layer.name}:${i}`,
      shape: weight.shape,
      data: weight.dataSync() as Float32Array,
    })),
  );
}

/** Writes a snapshot back; every layer weight must be present with its shape, or nothing is changed. */
export function restoreWeights(layers: tf.layers.Layer[], saved: readonly NamedWeights[]): void {
  const byName = new Map(saved.map((w) => [w.name, w]));
  const plan = layers.map((layer) =>
    layer.getWeights().map((current, i) => {
      const entry = byName.get(`${layer.name}:${i}`);
      if (!entry || entry.shape.join('x') !== current.shape.join('x')) {
        throw new Error(`checkpoint has no weight ${layer.name}:${i} of shape [${current.shape}] — it belongs to another experiment`);
      }
      return entry;
    }),
  );
  layers.forEach((layer, l) => {
    const values = plan[l].map((entry) => tf.tensor(entry.data, entry.shape));
    layer.setWeights(values);
    tf.dispose(values);
  });
}

/**
 * Frees every weight of these layers. A run builds several models over the same layers (prefix/top splits, the
 * exported model), and tfjs' per-layer reference counts would keep the weights alive after `model.dispose()`.
 */
export function disposeLayerWeights(layers: tf.layers.Layer[]): void {
  for (const layer of layers) {
    for (const weight of layer.weights) if (!weight.read().isDisposed) weight.dispose();
  }
}
