// Label issues by confident learning (Northcutt et al., cleanlab): out-of-fold probabilities from K seeded heads on
// cached features, per-class thresholds from the average self-confidence, and cleanlab's default pruning.
import * as tf from '@tensorflow/tfjs';
import { createRng, deriveSeed, shuffled } from '../random';
import { BatchedHeads, HeadState } from '../training/batchedHeads';

export interface FeatureMatrix {
  /** Row-major, `rows` × `width`. */
  values: Float32Array;
  rows: number;
  width: number;
}

export interface Suspect {
  index: number;
  suggested: number;
  /** 1 − the out-of-fold probability of the given label. */
  score: number;
}

export const FOLDS = 5;
/** Full-batch steps of the fold heads; with this weight decay the out-of-fold accuracy is as good as longer training (flowers probe). */
const HEAD_STEPS = 60;
const LEARNING_RATE = 0.05;
const WEIGHT_DECAY = 1e-2;

/** Fold of each row: every class dealt round-robin over the folds after a seeded shuffle, so each fold holds its share of every class. */
export function assignFolds(labels: readonly number[], folds: number, seed: number): number[] {
  const fold = new Array<number>(labels.length);
  const byClass = new Map<number, number[]>();
  labels.forEach((label, i) => {
    if (!byClass.has(label)) byClass.set(label, []);
    byClass.get(label)!.push(i);
  });
  for (const [label, rows] of byClass) {
    shuffled(rows, createRng(deriveSeed(seed, `fold:${label}`))).forEach((row, n) => (fold[row] = n % folds));
  }
  return fold;
}

/** Per-feature mean 0 and variance 1: one learning rate suits every base's feature scale. */
function headInput(matrix: FeatureMatrix): tf.Tensor2D {
  return tf.tidy(() => {
    const raw = tf.tensor2d(matrix.values, [matrix.rows, matrix.width]);
    const moments = tf.moments(raw, 0);
    return raw.sub(moments.mean).div(tf.sqrt(moments.variance).add(1e-6)) as tf.Tensor2D;
  });
}

/**
 * Each row's class probabilities from the head that did not train on it (rows × classes). The K heads train at once
 * (BatchedHeads: one matrix product per step instead of K), full batch, each head's loss masked to its own fold's
 * training rows.
 */
export async function outOfFoldProbabilities(matrix: FeatureMatrix, labels: readonly number[], classes: number, seed: number, signal?: AbortSignal): Promise<Float32Array> {
  const { rows } = matrix;
  const fold = assignFolds(labels, FOLDS, deriveSeed(seed, 'doctor'));
  const x = headInput(matrix);
  const shape = { width: x.shape[1], classes, hiddenUnits: 0, init: 'zeros' as const };
  const heads = Array.from({ length: FOLDS }, (_, k) => new HeadState({ learningRate: LEARNING_RATE, dropout: 0, seed: deriveSeed(seed, `doctor:${k}`) }, shape));
  const trainer = new BatchedHeads(heads, WEIGHT_DECAY);
  const [xT, targets, rowWeights] = tf.tidy(() => {
    const trainsOn = Array.from({ length: FOLDS }, (_, k) => fold.map((f) => (f === k ? 0 : 1)));
    const weights = tf.tensor3d(trainsOn.flat(), [FOLDS, rows, 1]);
    return [x.transpose(), tf.oneHot(tf.tensor1d(labels as number[], 'int32'), classes).expandDims(0), weights.div(weights.sum())];
  });
  try {
    for (let step = 1; step <= HEAD_STEPS; step++) {
      if (step % 20 === 0) {
        signal?.throwIfAborted();
        await new Promise((resolve) => setImmediate(resolve)); // lets a stop request in
      }
      await trainer.step({ x, xT, targets, rowWeights });
    }
    const all = tf.tidy(() => tf.softmax(trainer.logits(x)));
    const values = (await all.data()) as Float32Array;
    all.dispose();
    const out = new Float32Array(rows * classes);
    fold.forEach((k, row) => out.set(values.subarray((k * rows + row) * classes, (k * rows + row + 1) * classes), row * classes));
    return out;
  } finally {
    tf.dispose([x, xT, targets, rowWeights]);
  }
}

/**
 * Confident learning as cleanlab's find_label_issues does by default (prune_by_noise_rate): per-class thresholds t_c =
 * the mean probability of c over the images labelled c; the confident joint counts each image under its given label and
 * the most probable class that clears its threshold; calibrated to the class sizes, its off-diagonal cell (given i,
 * true j) says how many images labelled i are likely j, and those are the images labelled i with the largest margin
 * p_j − p_i. Returns them most suspect (lowest probability of the given label) first.
 */
export function confidentSuspects(probabilities: Float32Array, labels: readonly number[], classes: number): Suspect[] {
  const p = (row: number, c: number) => probabilities[row * classes + c];
  const rowsOf = Array.from({ length: classes }, () => [] as number[]);
  labels.forEach((label, row) => rowsOf[label].push(row));
  const threshold = rowsOf.map((rows, c) => (rows.length ? rows.reduce((sum, row) => sum + p(row, c), 0) / rows.length : Infinity));
  const joint = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  labels.forEach((given, row) => {
    let confident = -1;
    for (let c = 0; c < classes; c++) if (p(row, c) >= threshold[c] && (confident < 0 || p(row, c) > p(row, confident))) confident = c;
    if (confident >= 0) joint[given][confident]++;
  });
  const picked = new Map<number, Suspect>();
  joint.forEach((counts, given) => {
    const confidentRows = counts.reduce((a, b) => a + b, 0);
    counts.forEach((count, likely) => {
      if (likely === given || count === 0) return;
      const estimated = Math.round((count / confidentRows) * rowsOf[given].length);
      const byMargin = [...rowsOf[given]].sort((a, b) => p(b, likely) - p(b, given) - (p(a, likely) - p(a, given)) || a - b);
      for (const row of byMargin.slice(0, estimated)) {
        const known = picked.get(row);
        if (!known || p(row, likely) > p(row, known.suggested)) picked.set(row, { index: row, suggested: likely, score: 1 - p(row, given) });
      }
    });
  });
  return [...picked.values()].sort((a, b) => b.score - a.score || a.index - b.index);
}
