// Label issues by confident learning (Northcutt et al., cleanlab): out-of-fold probabilities from K seeded heads on
// cached features, per-class thresholds from the average self-confidence, and the images whose given class falls
// below its threshold while another class clears its own.
import * as tf from '@tensorflow/tfjs';
import { createRng, deriveSeed, shuffled } from '../random';

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

/** Fold of each row: every class dealt round-robin over the folds after a seeded shuffle, so each fold holds every class. */
export function assignFolds(labels: readonly number[], folds: number, seed: number): number[] {
  const fold = new Array<number>(labels.length);
  const byClass = new Map<number, number[]>();
  labels.forEach((label, i) => byClass.set(label, [...(byClass.get(label) ?? []), i]));
  for (const [label, rows] of byClass) {
    shuffled(rows, createRng(deriveSeed(seed, `fold:${label}`))).forEach((row, n) => (fold[row] = n % folds));
  }
  return fold;
}

/**
 * Each row's class probabilities from the head that did not train on it (rows × classes). The K heads train at once as
 * one softmax regression with K·C outputs, each output block's loss masked to its own fold's training rows: one
 * matrix product per step instead of K.
 */
export async function outOfFoldProbabilities(matrix: FeatureMatrix, labels: readonly number[], classes: number, seed: number, signal?: AbortSignal): Promise<Float32Array> {
  const { rows, width } = matrix;
  const fold = assignFolds(labels, FOLDS, deriveSeed(seed, 'doctor'));
  const w = tf.variable(tf.zeros([width, FOLDS * classes]));
  const b = tf.variable(tf.zeros([FOLDS * classes]));
  const optimizer = tf.train.adam(LEARNING_RATE);
  const [x, y, mask] = tf.tidy(() => {
    const raw = tf.tensor2d(matrix.values, [rows, width]);
    const moments = tf.moments(raw, 0);
    const trainsOn = fold.flatMap((f) => Array.from({ length: FOLDS }, (_, k) => (f === k ? 0 : 1)));
    return [
      raw.sub(moments.mean).div(tf.sqrt(moments.variance).add(1e-6)),
      tf.oneHot(tf.tensor1d(labels as number[], 'int32'), classes).expandDims(1).tile([1, FOLDS, 1]),
      tf.tensor2d(trainsOn, [rows, FOLDS]),
    ];
  });
  const logits = () => x.matMul(w).add(b).reshape([rows, FOLDS, classes]);
  try {
    for (let step = 0; step < HEAD_STEPS; step++) {
      if (step % 20 === 0) {
        signal?.throwIfAborted();
        await new Promise((resolve) => setImmediate(resolve)); // lets a stop request in
      }
      optimizer.minimize(() => tf.tidy(() => {
        const perRow = tf.losses.softmaxCrossEntropy(y, logits(), undefined, undefined, tf.Reduction.NONE);
        return tf.sum(perRow.mul(mask)).div(tf.sum(mask)).add(tf.sum(tf.square(w)).mul(WEIGHT_DECAY)) as tf.Scalar;
      }));
    }
    const all = tf.tidy(() => tf.softmax(logits()));
    const values = (await all.data()) as Float32Array;
    all.dispose();
    const out = new Float32Array(rows * classes);
    fold.forEach((k, row) => out.set(values.subarray((row * FOLDS + k) * classes, (row * FOLDS + k + 1) * classes), row * classes));
    return out;
  } finally {
    tf.dispose([w, b, x, y, mask]);
    optimizer.dispose();
  }
}

/** Confident learning over out-of-fold probabilities: the suspects, most suspect (lowest self-confidence) first. */
export function confidentSuspects(probabilities: Float32Array, labels: readonly number[], classes: number): Suspect[] {
  const sums = new Float64Array(classes);
  const counts = new Float64Array(classes);
  labels.forEach((label, row) => {
    sums[label] += probabilities[row * classes + label];
    counts[label] += 1;
  });
  const threshold = Array.from(sums, (sum, c) => (counts[c] > 0 ? sum / counts[c] : Infinity));
  const suspects: Suspect[] = [];
  labels.forEach((given, row) => {
    const p = probabilities.subarray(row * classes, (row + 1) * classes);
    if (p[given] >= threshold[given]) return;
    let suggested = -1;
    for (let c = 0; c < classes; c++) if (c !== given && p[c] >= threshold[c] && (suggested < 0 || p[c] > p[suggested])) suggested = c;
    if (suggested >= 0) suspects.push({ index: row, suggested, score: 1 - p[given] });
  });
  return suspects.sort((a, b) => b.score - a.score || a.index - b.index);
}
