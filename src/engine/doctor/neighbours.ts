// Cosine similarities between every pair of images, a block of rows at a time (one matrix product each): the pairs
// close enough to be near-duplicates, and each image's mean similarity to its k nearest others (for outliers).
import * as tf from '@tensorflow/tfjs';
import type { FeatureMatrix } from './labelIssues';

export interface Neighbourhood {
  /** [i, j, similarity] with i < j and similarity ≥ the threshold. */
  pairs: [number, number, number][];
  /** Mean cosine similarity of each row to its `k` most similar other rows. */
  nearest: Float32Array;
}

/** Rows per block: a block's similarities to every row stay a few MB whatever the set's size. */
const BLOCK_ROWS = 256;

/** Rows scaled to unit length (all-zero rows stay zero). */
export function normalisedRows(matrix: FeatureMatrix): FeatureMatrix {
  const out = new Float32Array(matrix.values.length);
  for (let row = 0; row < matrix.rows; row++) {
    const at = row * matrix.width;
    let norm = 0;
    for (let i = 0; i < matrix.width; i++) norm += matrix.values[at + i] ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < matrix.width; i++) out[at + i] = matrix.values[at + i] * scale;
  }
  return { ...matrix, values: out };
}

/** The k largest values of `row` except at `self`, averaged. */
function meanOfTop(row: Float32Array, self: number, k: number): number {
  const top: number[] = [];
  for (let j = 0; j < row.length; j++) {
    if (j === self) continue;
    const value = row[j];
    if (top.length < k) top.push(value);
    else if (value > top[top.length - 1]) top[top.length - 1] = value;
    else continue;
    top.sort((a, b) => b - a);
  }
  return top.length ? top.reduce((a, b) => a + b, 0) / top.length : 0;
}

/** Cosine similarity of rows i and j of unit-length rows. */
export function cosine(unit: FeatureMatrix, i: number, j: number): number {
  let sum = 0;
  for (let d = 0; d < unit.width; d++) sum += unit.values[i * unit.width + d] * unit.values[j * unit.width + d];
  return sum;
}

/** `unit` holds unit-length rows (normalisedRows). */
export async function neighbourhood(unit: FeatureMatrix, threshold: number, k: number, signal?: AbortSignal): Promise<Neighbourhood> {
  const { rows, width } = unit;
  const pairs: Neighbourhood['pairs'] = [];
  const nearest = new Float32Array(rows);
  const all = tf.tensor2d(unit.values, [rows, width]);
  try {
    for (let start = 0; start < rows; start += BLOCK_ROWS) {
      signal?.throwIfAborted();
      const count = Math.min(BLOCK_ROWS, rows - start);
      const block = tf.tidy(() => all.slice([start, 0], [count, width]).matMul(all, false, true));
      const values = (await block.data()) as Float32Array;
      block.dispose();
      for (let r = 0; r < count; r++) {
        const i = start + r;
        const row = values.subarray(r * rows, (r + 1) * rows);
        for (let j = i + 1; j < rows; j++) if (row[j] >= threshold) pairs.push([i, j, Math.min(1, row[j])]);
        nearest[i] = meanOfTop(row, i, k);
      }
    }
  } finally {
    all.dispose();
  }
  return { pairs, nearest };
}
