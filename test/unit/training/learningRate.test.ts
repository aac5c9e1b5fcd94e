// learningRateSchedule: cosine with warmup per step, Keras ReduceLROnPlateau per epoch, and what metrics.jsonl records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LearningRateSchedule, PhaseSpec } from '../../../src/protocol/experiment';
import { cosineRate, ReduceOnPlateau, setLearningRate } from '../../../src/engine/training/learningRate';
import { runPhases } from '../../../src/engine/training/phases';
import type { BatchSource } from '../../../src/engine/training/sources';
import { latestGoodCheckpoint, readMetrics } from '../../../src/engine/runs';
import { validateExperiment } from '../../../src/engine/experiment/validate';
import type { NamedWeights } from '../../../src/engine/training/tensors';
import { RecordingListener } from './listener';
import type { TensorBoardLog } from '../../../src/engine/runs/tensorboard/tensorboardLog';

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) <= 1e-9 + 1e-6 * Math.abs(expected), `${what}: ${actual} ≠ ${expected}`);

test('cosine: linear warmup to the base rate, then half a cosine down to minLr', () => {
  close(cosineRate(0.1, 0, 100, 10, 0), 0.01, 'first warmup step');
  close(cosineRate(0.1, 9, 100, 10, 0), 0.1, 'last warmup step');
  close(cosineRate(0.1, 10, 100, 10, 0), 0.1, 'first decay step');
  close(cosineRate(0.1, 55, 100, 10, 0.02), 0.06, 'half-way: the mean of base and minLr');
  close(cosineRate(0.1, 100, 100, 0, 0.02), 0.02, 'the end');
});

test('ReduceLROnPlateau: reduces after `patience` epochs without improvement, waits `cooldown`, never below minLr', () => {
  const plateau = new ReduceOnPlateau({ type: 'plateau', patience: 2, factor: 0.5, cooldown: 1, minLr: 0.02, minDelta: 0 }, 0.1);
  const rates = [1, 1, 1, 1, 1, 1, 1, 1].map((loss) => plateau.update(loss));
  assert.deepEqual(rates, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02]);
  const improving = new ReduceOnPlateau({ type: 'plateau', patience: 2, factor: 0.5 }, 0.1);
  assert.deepEqual([1, 1, 0.5, 0.5, 0.4, 0.4, 0.4].map((loss) => improving.update(loss)), [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05], 'each improvement resets the wait');
  const accuracy = new ReduceOnPlateau({ type: 'plateau', monitor: 'val_accuracy', patience: 1, minDelta: 0.05 }, 1);
  assert.deepEqual([0.5, 0.52, 0.6].map((acc) => accuracy.update(acc)), [1, 0.1, 0.1], 'val_accuracy improves upward, by more than minDelta');
});

test('a rate set between steps is the rate the next step trains with (adam, sgd, rmsprop)', () => {
  for (const optimizer of [tf.train.adam(0.1), tf.train.sgd(0.1), tf.train.rmsprop(0.1)]) {
    const w = tf.variable(tf.ones([2]));
    const stepWith = (rate: number) => {
      setLearningRate(optimizer, rate);
      const before = w.dataSync().slice();
      optimizer.minimize(() => tf.sum(tf.square(w)) as tf.Scalar, false, [w]);
      return Math.abs(w.dataSync()[0] - before[0]);
    };
    assert.equal(stepWith(0), 0, `${optimizer.getClassName()}: rate 0 leaves the weights`);
    assert.ok(stepWith(0.1) > 0, `${optimizer.getClassName()}: rate 0.1 moves them`);
    w.dispose();
    optimizer.dispose();
  }
});

const ROWS = 8;
const BATCH = 2;
/** Four batches per epoch; validation logits ignore the weights, so the validation loss never improves. */
function driverFor(runDir: string, phase: PhaseSpec, checkpoint: Awaited<ReturnType<typeof latestGoodCheckpoint>> = null) {
  const w = tf.variable(tf.zeros([2, 2]));
  const source: BatchSource = {
    count: ROWS, skipped: [],
    async *epoch() {
      for (let i = 0; i < ROWS; i += BATCH) yield { x: tf.tensor2d([[1, 0], [0, 1]]), labels: tf.tensor1d([0, 1], 'int32'), size: BATCH, paths: ['a', 'b'] };
    },
  };
  return {
    runDir, experiment: { phases: [phase], callbacks: { checkpoint: { keep: 2 } } }, listener: new RecordingListener(), checkpoint,
    tensorboard: { scalars: async () => undefined } as unknown as TensorBoardLog, // the event file has its own tests
    prepare: async () => ({ forward: (x: tf.Tensor, training: boolean) => (training ? tf.matMul(x as tf.Tensor2D, w) : tf.zerosLike(x as tf.Tensor2D)) as tf.Tensor2D, variables: [w], train: source, trainableParams: 4, description: 'test' }),
    validation: async () => source,
    snapshot: () => [{ name: 'w', shape: [2, 2], data: w.dataSync() as Float32Array }],
    restore: (saved: readonly NamedWeights[]) => w.assign(tf.tensor2d(saved[0].data, [2, 2])),
    emitState: async () => undefined,
  };
}

const phaseWith = (schedule: LearningRateSchedule, epochs: number): PhaseSpec => ({ name: 'head', epochs, batchSize: BATCH, optimizer: 'adam', learningRate: 0.1, learningRateSchedule: schedule, trainable: { none: true } });

test('metrics.jsonl records each step\'s and epoch\'s rate as the schedule sets it (cosine with warmup epochs)', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'tl-lr-'));
  const result = await runPhases(driverFor(runDir, phaseWith({ type: 'cosine', warmupEpochs: 1, minLr: 0.001 }, 3)));
  assert.equal(result.state, 'running');
  const records = await readMetrics(runDir);
  const batches = records.filter((r) => r.type === 'batch') as unknown as { epoch: number; batch: number; learningRate: number }[];
  assert.equal(batches.length, 12);
  for (const b of batches) close(b.learningRate, cosineRate(0.1, (b.epoch - 1) * 4 + b.batch - 1, 12, 4, 0.001), `epoch ${b.epoch} batch ${b.batch}`);
  [0.025, 0.05, 0.075, 0.1].forEach((rate, i) => close(batches[i].learningRate, rate, `warmup step ${i + 1} of the first epoch`));
  const epochs = records.filter((r) => r.type === 'epoch') as unknown as { learningRate: number }[];
  assert.deepEqual(epochs.map((e) => e.learningRate), [batches[3], batches[7], batches[11]].map((b) => b.learningRate), 'an epoch records its last step\'s rate');
});

test('plateau in a run: the rate drops after `patience` flat epochs, and a resumed phase goes on from the checkpoint\'s rate', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'tl-lr-'));
  const schedule: LearningRateSchedule = { type: 'plateau', patience: 1, factor: 0.1 };
  const first = await runPhases(driverFor(runDir, phaseWith(schedule, 3)));
  assert.equal(first.state, 'running');
  const epochs = (await readMetrics(runDir)).filter((r) => r.type === 'epoch') as unknown as { learningRate: number }[];
  const rates = epochs.map((e) => e.learningRate);
  assert.equal(rates.length, 3);
  close(rates[0], 0.1, 'epoch 1');
  close(rates[1], 0.1, 'epoch 2: the first epoch without improvement (patience 1) lowers the next one');
  close(rates[2], 0.01, 'epoch 3');
  // resume the same phase, now 5 epochs long, from epoch 3's checkpoint: epoch 4 trains at 0.001, not 0.1
  const checkpoint = await latestGoodCheckpoint(runDir, (message) => assert.fail(message));
  assert.ok(checkpoint);
  (checkpoint.manifest.extra as Record<string, unknown>).phaseFinished = false;
  const listener = new RecordingListener();
  await runPhases({ ...driverFor(runDir, phaseWith(schedule, 5), checkpoint), listener });
  close(listener.epochs[0].learningRate, 0.001, 'resumed epoch 4');
  assert.equal(listener.epochs[0].epoch, 4);
});

test('the schema takes the three schedules and refuses a cosine with two warmups or an unknown field', () => {
  const experiment = (schedule: unknown) => ({ name: 'x', data: { root: 'd' }, base: { model: 'mobilenet_v2' }, phases: [{ epochs: 2, learningRateSchedule: schedule }] });
  for (const schedule of [{ type: 'constant' }, { type: 'cosine', warmupSteps: 10 }, { type: 'plateau', monitor: 'val_accuracy', factor: 0.5, patience: 2, cooldown: 1, minLr: 1e-6, minDelta: 0 }]) {
    assert.deepEqual(validateExperiment(experiment(schedule), 'e.json').phases[0].learningRateSchedule, schedule);
  }
  assert.throws(() => validateExperiment(experiment({ type: 'cosine', warmupSteps: 1, warmupEpochs: 1 }), 'e.json'), /phases\[0\]\.learningRateSchedule: must be/);
  assert.throws(() => validateExperiment(experiment({ type: 'plateau', patiense: 2 }), 'e.json'), /phases\[0\]\.learningRateSchedule: must be/);
});
