// The training loop of one phase: steps, validation, NaN guard, cancellation between batches or in validation.
// Everything else an epoch does (metrics log, checkpoints, early stopping, run state) is a callback.
import * as tf from '@tensorflow/tfjs';
import { batchLoss, evaluateSource, type Forward, type SourceEvaluation } from './evaluate';
import type { BatchSource } from './sources';

export interface StepReport {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  /** The rate this step trained with. */
  learningRate: number;
  imagesPerSecond: number;
}

export interface EpochReport {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  /** The rate of the epoch's last step (a plateau schedule changes it for the next epoch only). */
  learningRate: number;
  seconds: number;
  /** Set by early stopping: this epoch's weights are the phase's best so far. */
  improved: boolean;
}

/** What callbacks share within one epoch's end, as Keras' `model.stop_training`. */
export interface LoopControl {
  /** Set by a callback (early stopping) to end the phase after this epoch. */
  stopTraining: boolean;
  /** The phase ends after this epoch: stopped, or its last epoch. */
  readonly phaseEnds: boolean;
}

/** Keras-style hooks: each concern of a run (metrics log, checkpoints, early stopping, state) is its own callback. */
export interface TrainingCallback {
  onBatchEnd?(step: StepReport): void;
  /** After validation, in list order, before the next epoch starts; a callback sees what earlier ones set. */
  onEpochEnd?(epoch: EpochReport, control: LoopControl): Promise<void> | void;
  /** When the phase ends (not when it is cancelled or diverges): the epoch whose weights it put back, if any. */
  onPhaseEnd?(lastEpoch: number): number | undefined;
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
  /** One loss weight per class for training steps (validation loss stays unweighted, as in Keras). */
  classWeights?: tf.Tensor1D;
  signal?: AbortSignal;
  /** Sets the optimizer's rate for step `batch` of `epoch` (both 1-based) and returns it; omitted, the optimizer's own rate stays. */
  learningRate?(epoch: number, batch: number): number;
  callbacks: TrainingCallback[];
}

export type PhaseOutcome =
  | { kind: 'completed' | 'stopped-early'; epoch: number; val: SourceEvaluation | undefined; restoredEpoch?: number }
  | { kind: 'cancelled'; epoch: number }
  | { kind: 'diverged'; epoch: number; batch: number; loss: number };

/** One optimisation step; the gradients are applied only when the loss is finite, so a NaN never reaches the weights. */
export async function trainStep(options: Pick<PhaseLoopOptions, 'forward' | 'variables' | 'optimizer' | 'classWeights'>, x: tf.Tensor, labels: tf.Tensor1D): Promise<{ loss: number; correct: number }> {
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

/** A callback that put other weights back (early stopping's best epoch) gets them validated again. */
async function finish(options: PhaseLoopOptions, kind: 'completed' | 'stopped-early', epoch: number, val: SourceEvaluation | undefined): Promise<PhaseOutcome> {
  let restoredEpoch: number | undefined;
  for (const callback of options.callbacks) restoredEpoch = callback.onPhaseEnd?.(epoch) ?? restoredEpoch;
  if (restoredEpoch === undefined) return { kind, epoch, val };
  // not abortable: the phase has ended, and its best weights need their validation numbers
  return { kind, epoch, val: await evaluateSource(options.forward, options.val), restoredEpoch };
}

export async function runPhaseLoop(options: PhaseLoopOptions): Promise<PhaseOutcome> {
  const batches = Math.ceil(options.train.count / options.batchSize);
  let val: SourceEvaluation | undefined;
  for (let epoch = options.firstEpoch; epoch <= options.lastEpoch; epoch++) {
    const started = performance.now();
    let lossSum = 0, correct = 0, seen = 0, batch = 0, learningRate = NaN;
    try {
      for await (const { x, labels, size } of options.train.epoch(epoch, options.signal)) {
        const stepStart = performance.now();
        learningRate = options.learningRate?.(epoch, batch + 1) ?? (options.optimizer.getConfig().learningRate as number);
        const result = await trainStep(options, x, labels);
        tf.dispose([x, labels]);
        batch += 1;
        if (!Number.isFinite(result.loss)) return { kind: 'diverged', epoch, batch, loss: result.loss };
        lossSum += result.loss * size;
        correct += result.correct;
        seen += size;
        const seconds = (performance.now() - stepStart) / 1000;
        const report = { epoch, batch, batches, loss: result.loss, accuracy: result.correct / size, learningRate, imagesPerSecond: size / seconds };
        for (const callback of options.callbacks) callback.onBatchEnd?.(report);
        if (options.signal?.aborted) return { kind: 'cancelled', epoch };
      }
      val = await evaluateSource(options.forward, options.val, options.signal);
    } catch (error) {
      // a stop may also land while the epoch validates: still "cancelled", never "failed"
      if (options.signal?.aborted) return { kind: 'cancelled', epoch };
      throw error;
    }
    const report: EpochReport = {
      epoch, loss: lossSum / seen, accuracy: correct / seen, valLoss: val.loss, valAccuracy: val.accuracy, learningRate,
      seconds: (performance.now() - started) / 1000, improved: false,
    };
    const lastEpoch = options.lastEpoch;
    const control: LoopControl = { stopTraining: false, get phaseEnds() { return this.stopTraining || epoch === lastEpoch; } };
    for (const callback of options.callbacks) await callback.onEpochEnd?.(report, control);
    if (control.stopTraining) return finish(options, 'stopped-early', epoch, val);
  }
  return finish(options, 'completed', options.lastEpoch, val);
}
