// Shared by the wasm gradient tests: seeded inputs, running one computation per backend, comparing results.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRng, deriveSeed } from '../../../src/engine/random';

/** Values uniform in [-1, 1), the same on every backend for the same seed and purpose. */
export function seededValues(size: number, seed: number, purpose: string): Float32Array {
  const rng = createRng(deriveSeed(seed, purpose));
  return Float32Array.from({ length: size }, () => rng() * 2 - 1);
}

export function seededTensor(shape: number[], seed: number, purpose: string): tf.Tensor {
  return tf.tensor(seededValues(tf.util.sizeFromShape(shape), seed, purpose), shape);
}

/** Largest |a − b| / max(1, |b|): absolute for small values, relative for large ones. */
export function maxScaledDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

/** Runs `compute` with `backend` active and returns its tensors' values; every tensor it made is freed. */
export async function valuesOn(backend: 'wasm' | 'cpu', compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  const tensors = compute();
  const values = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(tensors);
  return values;
}
