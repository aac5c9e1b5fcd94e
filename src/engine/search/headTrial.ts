// Search trials: a head with its settings trained on every fold's cached features, each fold stopping early on its own
// validation loss (Keras' EarlyStopping, patience 3) and scored at its best epoch. The folds of several trials of one
// base and hidden size train together as one batched computation (BatchedHeads), epoch by epoch.
import * as tf from '@tensorflow/tfjs';
import { createRng, deriveSeed, shuffled } from '../random';
import { BatchedHeads, HeadState } from '../training/batchedHeads';
import { countByClass, resolveClassWeights } from '../training/classWeights';
import { EarlyStopping } from '../training/earlyStopping';
import type { HeadSettings } from './space';

export const SEARCH_PATIENCE = 3;

/** One base's training rows, shared by every trial on that base, with the fold of each row (stratifiedFolds). */
export interface FoldedRows {
  /** rows × width, row-major. */
  x: Float32Array;
  labels: number[];
  width: number;
  /** Fold f's heads validate on the rows of fold f and train on the others (-1: a row no fold validates on). */
  fold: number[];
  folds: number;
  /** Seeds each epoch's row order. */
  seed: number;
}

export interface FoldScore {
  accuracy: number;
  loss: number;
  bestEpoch: number;
}

class FoldRun {
  readonly state: HeadState;
  /** Each row's share of a batch's loss before dividing by the fold's rows in the batch: its class weight, 0 when held out. */
  readonly rowWeight: number[];
  readonly valRows: number;
  private readonly stopper = new EarlyStopping({ monitor: 'val_loss', patience: SEARCH_PATIENCE, minDelta: 0, restoreBestWeights: true });
  epochs = 0;
  stopped = false;
  best: FoldScore = { accuracy: 0, loss: Infinity, bestEpoch: 0 };

  constructor(readonly rows: FoldedRows, readonly f: number, settings: HeadSettings, classes: string[], seed: number) {
    this.state = new HeadState({ learningRate: settings.learningRate, dropout: settings.dropout, seed }, { width: rows.width, classes: classes.length, hiddenUnits: settings.hiddenUnits, init: 'glorot' });
    const trains = (row: number) => rows.fold[row] !== f;
    const counts = countByClass(rows.labels.flatMap((label, row) => (trains(row) ? [{ label }] : [])), classes.length);
    const weights = resolveClassWeights(settings.classWeights, classes, counts).weights;
    this.rowWeight = rows.labels.map((label, row) => (trains(row) ? weights?.[label] ?? 1 : 0));
    this.valRows = rows.fold.filter((k) => k === f).length;
  }

  record(score: Omit<FoldScore, 'bestEpoch'>): void {
    const decision = this.stopper.update(this.epochs, { valLoss: score.loss, valAccuracy: score.accuracy });
    if (decision.improved) this.best = { ...score, bestEpoch: this.epochs };
    this.stopped = decision.stop;
  }
}

/** A trial's heads, one per fold; its score is the folds' mean accuracy at their best epochs. */
export class HeadTrial {
  readonly folds: FoldRun[];

  constructor(rows: FoldedRows, readonly settings: HeadSettings, classes: string[], seed: number) {
    this.folds = Array.from({ length: rows.folds }, (_, f) => new FoldRun(rows, f, settings, classes, deriveSeed(seed, `fold:${f}`)));
  }

  score(): { accuracy: number; std: number; loss: number; bestEpochs: number[] } {
    const accuracies = this.folds.map((f) => f.best.accuracy);
    const accuracy = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
    const std = Math.sqrt(accuracies.reduce((sum, a) => sum + (a - accuracy) ** 2, 0) / accuracies.length);
    return { accuracy, std, loss: this.folds.reduce((sum, f) => sum + f.best.loss, 0) / this.folds.length, bestEpochs: this.folds.map((f) => f.best.bestEpoch) };
  }
}

/**
 * Trains every fold of `trials` (one base, one hidden size) up to `epochs` epochs, all at once. Every head sees the
 * same rows each step — the base's training rows in one seeded order per epoch, the batch size × folds/(folds − 1) at a
 * time — and trains on those its fold does not hold out (the batch size on average), weighted as Keras' batch mean:
 * the first layer is then one 2-D product for all heads, ~5–10× faster on wasm than a batched product per head.
 */
export async function trainTogether(trials: HeadTrial[], epochs: number, batchSize: number, classes: number, signal?: AbortSignal): Promise<void> {
  const rows = trials[0].folds[0].rows;
  const count = rows.labels.length;
  const parts = rows.folds === 1 ? 5 : rows.folds;
  const stepRows = Math.round((batchSize * parts) / (parts - 1));
  const all = tf.tensor2d(rows.x, [count, rows.width]);
  const targets = tf.tidy(() => tf.oneHot(tf.tensor1d(rows.labels, 'int32'), classes).expandDims(0));
  try {
    for (;;) {
      // the heads still training, packed anew when one stops: a stopped head costs nothing more
      const runs = trials.flatMap((t) => t.folds).filter((r) => !r.stopped && r.epochs < epochs);
      if (runs.length === 0) return;
      const trainer = new BatchedHeads(runs.map((r) => r.state));
      const mask = tf.tensor2d(runs.flatMap((r) => rows.fold.map((k) => (k === r.f ? 1 / r.valRows : 0))), [runs.length, count]);
      try {
        while (runs.every((r) => !r.stopped && r.epochs < epochs)) {
          signal?.throwIfAborted();
          const epoch = runs[0].epochs + 1;
          runs.forEach((r) => (r.epochs = epoch));
          const order = shuffled(rows.labels.map((_, i) => i), createRng(deriveSeed(rows.seed, `epoch:${epoch}`)));
          for (let start = 0; start < count; start += stepRows) {
            const batch = trainingBatch(rows, runs, order.slice(start, start + stepRows), classes);
            await trainer.step(batch);
            tf.dispose([batch.x, batch.xT, batch.targets, batch.rowWeights]);
            await new Promise((resolve) => setImmediate(resolve)); // lets a stop request in
          }
          const scores = await validate(trainer, all, targets, mask);
          runs.forEach((r, g) => r.record(scores[g]));
        }
      } finally {
        trainer.release();
        mask.dispose();
      }
    }
  } finally {
    tf.dispose([all, targets]);
  }
}

/** One step's rows (and their transpose: xᵀ·dz is a plain product then) with each head's weight of each row. */
function trainingBatch(rows: FoldedRows, runs: FoldRun[], picked: number[], classes: number) {
  const { width } = rows, size = picked.length;
  const x = new Float32Array(size * width), xT = new Float32Array(size * width), targets = new Float32Array(size * classes);
  picked.forEach((row, i) => {
    x.set(rows.x.subarray(row * width, (row + 1) * width), i * width);
    for (let d = 0; d < width; d++) xT[d * size + i] = rows.x[row * width + d];
    targets[i * classes + rows.labels[row]] = 1;
  });
  const weights = new Float32Array(runs.length * size);
  const active = runs.map((run, g) => {
    // Keras' weighted mean: sum of class weight × loss over the fold's examples in the batch, divided by their number
    const own = picked.filter((row) => run.rowWeight[row] > 0).length;
    picked.forEach((row, i) => (weights[g * size + i] = own > 0 ? run.rowWeight[row] / own : 0));
    return own > 0;
  });
  return {
    x: tf.tensor2d(x, [size, width]), xT: tf.tensor2d(xT, [width, size]), targets: tf.tensor3d(targets, [1, size, classes]), rowWeights: tf.tensor3d(weights, [runs.length, size, 1]), active,
  };
}

/** Each head's mean cross-entropy and accuracy over its fold's validation rows (`mask`: 1/rows on them, else 0). */
async function validate(trainer: BatchedHeads, x: tf.Tensor2D, targets: tf.Tensor, mask: tf.Tensor2D): Promise<{ loss: number; accuracy: number }[]> {
  const both = tf.tidy(() => {
    const logits = trainer.logits(x);
    const loss = tf.sum(tf.neg(tf.sum(tf.logSoftmax(logits).mul(targets), 2)).mul(mask), 1);
    const hits = tf.cast(tf.equal(tf.argMax(logits, 2), tf.argMax(targets, 2)), 'float32');
    return tf.stack([loss, tf.sum(hits.mul(mask), 1)], 1);
  });
  const values = await both.data();
  both.dispose();
  return Array.from({ length: values.length / 2 }, (_, g) => ({ loss: values[2 * g], accuracy: values[2 * g + 1] }));
}
