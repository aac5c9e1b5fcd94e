// The training loop of one phase: steps, validation, early stopping, NaN guard, cancellation between batches or in validation.
import * as tf from '@tensorflow/tfjs';
import type { EarlyStoppingSpec } from '../../protocol/experiment';
import { EarlyStopping } from './earlyStopping';
import { batchLoss, evaluateSource, type Forward, type SourceEvaluation } from './evaluate';
import type { BatchSource } from './sources';

export interface StepReport {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
}

export interface EpochReport {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
  improved: boolean;
}

export interface PhaseLoopOptions {
  forward: Forward;
  variables: tf.Variable[];
  optimizer: tf.Optimizer;
  train: BatchSource;
  val: BatchSource;
  firstEpoch: number;
  lastEpoch: number;
  batchSize: number;
  earlyStopping?: EarlyStoppingSpec;
  /** One loss weight per class for training steps (validation loss stays unweighted, as in Keras). */
  classWeights?: tf.Tensor1D;
  signal?: AbortSignal;
  onStep(report: StepReport): void;
  /** Called after validation; the run writes metrics and checkpoints here, before the next epoch starts. `last`: the phase ends after it. */
  onEpoch(report: EpochReport, last: boolean): Promise<void>;
  /** Keeps the best weights so early stopping can put them back. */
  onImproved?(epoch: number): void;
  restoreBest?(): void;
}

export type PhaseOutcome =
  | { kind: 'completed' | 'stopped-early'; epoch: number; val: SourceEvaluation | undefined; restoredEpoch?: number }
  | { kind: 'cancelled'; epoch: number }
  | { kind: 'diverged'; epoch: number; batch: number; loss: number };

/** One optimisation step; the gradients are applied only when the loss is finite, so a NaN never reaches the weights. */
async function step(options: PhaseLoopOptions, x: tf.Tensor, labels: tf.Tensor1D): Promise<{ loss: number; correct: number }> {
  let correct: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const logits = options.forward(x, true);
    correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'))) as tf.Scalar;
    return batchLoss(logits, labels, options.classWeights);
  }, options.variables);
  const loss = (await value.data())[0];
  if (Number.isFinite(loss)) options.optimizer.applyGradients(grads);
  const hits = (await correct!.data())[0];
  tf.dispose([value, correct!, ...Object.values(grads)]);
  return { loss, correct: hits };
}

/** Keras 3 semantics: with restoreBestWeights the phase ends on its best epoch's weights, stopped early or not. */
async function finish(options: PhaseLoopOptions, stopper: EarlyStopping | undefined, kind: 'completed' | 'stopped-early', epoch: number, val: SourceEvaluation | undefined): Promise<PhaseOutcome> {
  if (!options.earlyStopping?.restoreBestWeights || stopper?.bestEpoch === undefined || stopper.bestEpoch === epoch) return { kind, epoch, val };
  options.restoreBest?.();
  // not abortable: the phase has ended, and its best weights need their validation numbers
  return { kind, epoch, val: await evaluateSource(options.forward, options.val), restoredEpoch: stopper.bestEpoch };
}

export async function runPhaseLoop(options: PhaseLoopOptions): Promise<PhaseOutcome> {
  const stopper = options.earlyStopping ? new EarlyStopping(options.earlyStopping) : undefined;
  const batches = Math.ceil(options.train.count / options.batchSize);
  let val: SourceEvaluation | undefined;
  for (let epoch = options.firstEpoch; epoch <= options.lastEpoch; epoch++) {
    const started = performance.now();
    let lossSum = 0, correct = 0, seen = 0, batch = 0;
    try {
      for await (const { x, labels, size } of options.train.epoch(epoch, options.signal)) {
        const stepStart = performance.now();
        const result = await step(options, x, labels);
        tf.dispose([x, labels]);
        batch += 1;
        if (!Number.isFinite(result.loss)) return { kind: 'diverged', epoch, batch, loss: result.loss };
        lossSum += result.loss * size;
        correct += result.correct;
        seen += size;
        const seconds = (performance.now() - stepStart) / 1000;
        options.onStep({ epoch, batch, batches, loss: result.loss, accuracy: result.correct / size, imagesPerSecond: size / seconds });
        if (options.signal?.aborted) return { kind: 'cancelled', epoch };
      }
      val = await evaluateSource(options.forward, options.val, options.signal);
    } catch (error) {
      // a stop may also land while the epoch validates: still "cancelled", never "failed"
      if (options.signal?.aborted) return { kind: 'cancelled', epoch };
      throw error;
    }
    const decision = stopper?.update(epoch, { valLoss: val.loss, valAccuracy: val.accuracy });
    if (decision?.improved) options.onImproved?.(epoch);
    await options.onEpoch({
      epoch, loss: lossSum / seen, accuracy: correct / seen, valLoss: val.loss, valAccuracy: val.accuracy,
      seconds: (performance.now() - started) / 1000, improved: decision?.improved ?? false,
    }, decision?.stop === true || epoch === options.lastEpoch);
    if (decision?.stop) return finish(options, stopper, 'stopped-early', epoch, val);
  }
  return finish(options, stopper, 'completed', options.lastEpoch, val);
}
