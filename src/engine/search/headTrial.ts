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

/** One fold of one base's features, shared by every trial on that base: training rows stay in memory (batches are
 * copied out of them — tf.gather over a [rows, features] tensor takes ~0.3 s per batch on wasm). */
export interface FoldData {
  xTrain: Float32Array;
  yTrain: number[];
  width: number;
  xVal: Float32Array;
  yVal: number[];
}

export interface FoldScore {
  accuracy: number;
  loss: number;
  bestEpoch: number;
}

class FoldRun {
  readonly state: HeadState;
  /** Each training row's share of a batch's loss before dividing by the batch size: its class weight, or 1. */
  readonly rowWeight: number[];
  private readonly stopper = new EarlyStopping({ monitor: 'val_loss', patience: SEARCH_PATIENCE, minDelta: 0, restoreBestWeights: true });
  epochs = 0;
  stopped = false;
  best: FoldScore = { accuracy: 0, loss: Infinity, bestEpoch: 0 };

  constructor(readonly data: FoldData, settings: HeadSettings, classes: string[], readonly seed: number) {
    this.state = new HeadState({ learningRate: settings.learningRate, dropout: settings.dropout, seed }, { width: data.width, classes: classes.length, hiddenUnits: settings.hiddenUnits, init: 'glorot' });
    const weights = resolveClassWeights(settings.classWeights, classes, countByClass(data.yTrain.map((label) => ({ label })), classes.length)).weights;
    this.rowWeight = data.yTrain.map((label) => weights?.[label] ?? 1);
  }

  /** This epoch's row order (seeded per fold and epoch). */
  order(): number[] {
    return shuffled(this.data.yTrain.map((_, i) => i), createRng(deriveSeed(this.seed, `epoch:${this.epochs}`)));
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

  constructor(folds: FoldData[], readonly settings: HeadSettings, classes: string[], seed: number) {
    this.folds = folds.map((data, f) => new FoldRun(data, settings, classes, deriveSeed(seed, `fold:${f}`)));
  }

  score(): { accuracy: number; std: number; loss: number; bestEpochs: number[] } {
    const accuracies = this.folds.map((f) => f.best.accuracy);
    const accuracy = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
    const std = Math.sqrt(accuracies.reduce((sum, a) => sum + (a - accuracy) ** 2, 0) / accuracies.length);
    return { accuracy, std, loss: this.folds.reduce((sum, f) => sum + f.best.loss, 0) / this.folds.length, bestEpochs: this.folds.map((f) => f.best.bestEpoch) };
  }
}

/**
 * Trains every fold of `trials` (same base folds, same hidden size) up to `epochs` epochs, all at once: each step
 * takes every running fold's next batch of its own shuffled rows; a fold out of rows sits the step out.
 */
export async function trainTogether(trials: HeadTrial[], epochs: number, batchSize: number, classes: number, signal?: AbortSignal): Promise<void> {
  for (;;) {
    // the heads still training, packed anew when one stops: a stopped head costs nothing more
    const runs = trials.flatMap((t) => t.folds).filter((r) => !r.stopped && r.epochs < epochs);
    if (runs.length === 0) return;
    const trainer = new BatchedHeads(runs.map((r) => r.state));
    const validation = validationBatch(runs, classes);
    try {
      while (runs.every((r) => !r.stopped && r.epochs < epochs)) {
        signal?.throwIfAborted();
        const orders = runs.map((r) => (r.epochs++, r.order()));
        const steps = Math.max(...orders.map((o) => Math.ceil(o.length / batchSize)));
        for (let step = 0; step < steps; step++) {
          const batch = trainingBatch(runs, orders.map((o) => o.slice(step * batchSize, (step + 1) * batchSize)), batchSize, classes);
          await trainer.step(batch);
          tf.dispose([batch.x, batch.xT, batch.targets, batch.rowWeights]);
          await new Promise((resolve) => setImmediate(resolve)); // lets a stop request in
        }
        const scores = await validate(trainer, validation);
        runs.forEach((r, g) => r.record(scores[g]));
      }
    } finally {
      trainer.release();
      tf.dispose([validation.x, validation.targets, validation.mask]);
    }
  }
}

/** Every head's rows of this step, padded to the batch size (padding rows weigh 0). */
function trainingBatch(runs: FoldRun[], rows: number[][], batchSize: number, classes: number) {
  const width = runs[0].data.width;
  const x = new Float32Array(runs.length * batchSize * width), xT = new Float32Array(x.length), targets = new Float32Array(runs.length * batchSize * classes), weights = new Float32Array(runs.length * batchSize);
  runs.forEach((run, g) => {
    rows[g].forEach((row, i) => {
      const at = g * batchSize + i;
      x.set(run.data.xTrain.subarray(row * width, (row + 1) * width), at * width);
      // and transposed: the kernel's gradient xᵀ·dz is a plain product then (a transposed operand is slower on wasm)
      for (let d = 0; d < width; d++) xT[(g * width + d) * batchSize + i] = run.data.xTrain[row * width + d];
      targets[at * classes + run.data.yTrain[row]] = 1;
      // Keras' weighted mean: sum of class weight × loss over the batch's examples, divided by their number
      weights[at] = run.rowWeight[row] / rows[g].length;
    });
  });
  return {
    x: tf.tensor3d(x, [runs.length, batchSize, width]), xT: tf.tensor3d(xT, [runs.length, width, batchSize]), targets: tf.tensor3d(targets, [runs.length, batchSize, classes]), rowWeights: tf.tensor3d(weights, [runs.length, batchSize, 1]),
    active: rows.map((r) => r.length > 0),
  };
}

/** Every head's fold validation rows, padded to the largest fold; `mask` marks the real rows. */
function validationBatch(runs: FoldRun[], classes: number) {
  const width = runs[0].data.width, size = Math.max(...runs.map((r) => r.data.yVal.length));
  const x = new Float32Array(runs.length * size * width), targets = new Float32Array(runs.length * size * classes), mask = new Float32Array(runs.length * size);
  runs.forEach((run, g) => {
    x.set(run.data.xVal, g * size * width);
    run.data.yVal.forEach((label, i) => {
      targets[(g * size + i) * classes + label] = 1;
      mask[g * size + i] = 1 / run.data.yVal.length;
    });
  });
  return { x: tf.tensor3d(x, [runs.length, size, width]), targets: tf.tensor3d(targets, [runs.length, size, classes]), mask: tf.tensor2d(mask, [runs.length, size]) };
}

/** Each head's mean cross-entropy and accuracy over its fold's validation rows. */
async function validate(trainer: BatchedHeads, validation: ReturnType<typeof validationBatch>): Promise<{ loss: number; accuracy: number }[]> {
  const both = tf.tidy(() => {
    const logits = trainer.logits(validation.x);
    const loss = tf.sum(tf.neg(tf.sum(tf.logSoftmax(logits).mul(validation.targets), 2)).mul(validation.mask), 1);
    const hits = tf.cast(tf.equal(tf.argMax(logits, 2), tf.argMax(validation.targets, 2)), 'float32');
    return tf.stack([loss, tf.sum(hits.mul(validation.mask), 1)], 1);
  });
  const values = await both.data();
  both.dispose();
  return Array.from({ length: values.length / 2 }, (_, g) => ({ loss: values[2 * g], accuracy: values[2 * g + 1] }));
}
