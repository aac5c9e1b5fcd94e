// One search trial: a head with its settings trained on every fold's cached features at once, epoch by epoch, each
// fold stopping early on its own validation loss (Keras' EarlyStopping, patience 3) and scored at its best epoch.
import * as tf from '@tensorflow/tfjs';
import { createRng, deriveSeed, shuffled } from '../random';
import { countByClass, resolveClassWeights } from '../training/classWeights';
import { EarlyStopping } from '../training/earlyStopping';
import { batchLoss } from '../training/evaluate';
import { createHeadLayers, headModel } from '../training/head';
import { createOptimizer } from '../training/learningRate';
import { trainStep } from '../training/loop';
import { variablesOf } from '../training/phaseSetup';
import type { HeadSettings } from './space';

export const SEARCH_PATIENCE = 3;

/** One fold of one base's features, shared by every trial on that base: training rows stay in memory (batches are
 * copied out of them — tf.gather over a [rows, features] tensor takes ~0.3 s per batch on wasm), validation is one tensor. */
export interface FoldData {
  xTrain: Float32Array;
  yTrain: number[];
  width: number;
  xVal: tf.Tensor2D;
  yVal: tf.Tensor1D;
}

export interface FoldScore {
  accuracy: number;
  loss: number;
  bestEpoch: number;
}

class FoldRun {
  private readonly model: tf.LayersModel;
  private readonly optimizer: tf.Optimizer;
  private readonly classWeights: tf.Tensor1D | undefined;
  private readonly stopper = new EarlyStopping({ monitor: 'val_loss', patience: SEARCH_PATIENCE, minDelta: 0, restoreBestWeights: true });
  private readonly trainLabels: number[];
  epochs = 0;
  stopped = false;
  best: FoldScore = { accuracy: 0, loss: Infinity, bestEpoch: 0 };

  constructor(private readonly data: FoldData, settings: HeadSettings, classes: string[], private readonly seed: number, private readonly batchSize: number) {
    const layers = createHeadLayers({ pooling: 'avg', hiddenUnits: settings.hiddenUnits, dropout: settings.dropout }, classes.length, seed);
    this.model = headModel([data.width], layers);
    this.optimizer = createOptimizer({ optimizer: 'adam', learningRate: settings.learningRate });
    this.trainLabels = data.yTrain;
    const weights = resolveClassWeights(settings.classWeights, classes, countByClass(this.trainLabels.map((label) => ({ label })), classes.length)).weights;
    this.classWeights = weights && tf.tensor1d(weights);
  }

  private forward = (x: tf.Tensor, training: boolean) => this.model.apply(x, { training }) as tf.Tensor2D;

  async trainTo(epochs: number, signal?: AbortSignal): Promise<void> {
    const rows = this.trainLabels.map((_, i) => i);
    while (!this.stopped && this.epochs < epochs) {
      signal?.throwIfAborted();
      this.epochs += 1;
      const order = shuffled(rows, createRng(deriveSeed(this.seed, `epoch:${this.epochs}`)));
      for (let start = 0; start < order.length; start += this.batchSize) {
        const rows = order.slice(start, start + this.batchSize);
        const { width, xTrain } = this.data;
        const values = new Float32Array(rows.length * width);
        rows.forEach((row, i) => values.set(xTrain.subarray(row * width, (row + 1) * width), i * width));
        const x = tf.tensor2d(values, [rows.length, width]), labels = tf.tensor1d(rows.map((row) => this.trainLabels[row]), 'int32');
        await trainStep({ forward: this.forward, variables: variablesOf(this.model.layers), optimizer: this.optimizer, classWeights: this.classWeights }, x, labels);
        tf.dispose([x, labels]);
      }
      const [loss, accuracy] = tf.tidy(() => {
        const logits = this.forward(this.data.xVal, false);
        return [batchLoss(logits, this.data.yVal), tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), this.data.yVal), 'float32'))];
      });
      const score = { loss: (await loss.data())[0], accuracy: (await accuracy.data())[0] };
      tf.dispose([loss, accuracy]);
      const decision = this.stopper.update(this.epochs, { valLoss: score.loss, valAccuracy: score.accuracy });
      if (decision.improved) this.best = { ...score, bestEpoch: this.epochs };
      this.stopped = decision.stop;
    }
  }

  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
    this.classWeights?.dispose();
  }
}

/** A trial's heads, one per fold; its score is the folds' mean accuracy at their best epochs. */
export class HeadTrial {
  private readonly folds: FoldRun[];

  constructor(folds: FoldData[], readonly settings: HeadSettings, classes: string[], seed: number, batchSize: number) {
    this.folds = folds.map((data, f) => new FoldRun(data, settings, classes, deriveSeed(seed, `fold:${f}`), batchSize));
  }

  async trainTo(epochs: number, signal?: AbortSignal): Promise<{ accuracy: number; std: number; loss: number; bestEpochs: number[] }> {
    for (const fold of this.folds) await fold.trainTo(epochs, signal);
    const accuracies = this.folds.map((f) => f.best.accuracy);
    const accuracy = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
    const std = Math.sqrt(accuracies.reduce((sum, a) => sum + (a - accuracy) ** 2, 0) / accuracies.length);
    return { accuracy, std, loss: this.folds.reduce((sum, f) => sum + f.best.loss, 0) / this.folds.length, bestEpochs: this.folds.map((f) => f.best.bestEpoch) };
  }

  dispose(): void {
    this.folds.forEach((f) => f.dispose());
  }
}
