// A stop can land in any await of a run, not only between batches: it always ends "cancelled", never "failed".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { runPhaseLoop } from '../../../src/engine/training/loop';
import { runPhases } from '../../../src/engine/training/phases';
import type { BatchSource } from '../../../src/engine/training/sources';
import { RecordingListener } from './listener';

const batch = () => ({ x: tf.tensor2d([[1, 0]]), labels: tf.tensor1d([0], 'int32'), size: 1, paths: ['a.png'] });
const source = (before?: (signal?: AbortSignal) => void): BatchSource => ({
  count: 1, skipped: [],
  async *epoch(_epoch, signal) {
    before?.(signal);
    yield batch();
  },
});

test('a stop that lands while an epoch validates ends the phase "cancelled"', async () => {
  const controller = new AbortController();
  const weights = tf.variable(tf.zeros([2, 2]));
  const validatesAfterStop = source((signal) => (controller.abort(), signal?.throwIfAborted()));
  const outcome = await runPhaseLoop({
    forward: (x) => tf.matMul(x as tf.Tensor2D, weights), variables: [weights], optimizer: tf.train.sgd(0.1),
    train: source(), val: validatesAfterStop, firstEpoch: 1, lastEpoch: 3, batchSize: 1, signal: controller.signal,
    callbacks: [{ onEpochEnd: () => assert.fail('no epoch ends after the stop') }],
  });
  assert.deepEqual(outcome, { kind: 'cancelled', epoch: 1 });
  weights.dispose();
});

test('a stop that lands while a phase prepares (caching activations) ends the run "cancelled"; other errors still fail it', async () => {
  const phase = { name: 'fine-tune', epochs: 2, batchSize: 1, optimizer: 'adam' as const, learningRate: 1e-3, trainable: { all: true as const } };
  const driver = (prepare: () => Promise<never>, signal: AbortSignal) => ({
    runDir: '/nowhere', experiment: { phases: [phase], callbacks: { checkpoint: { keep: 2 } } } as never, listener: new RecordingListener(), signal, checkpoint: null, tensorboard: undefined as never,
    prepare, validation: async () => source(), snapshot: () => [], restore: () => undefined, emitState: async () => undefined,
  });
  const controller = new AbortController();
  const stopped = await runPhases(driver(async () => (controller.abort(), controller.signal.throwIfAborted(), assert.fail('unreachable')), controller.signal));
  assert.deepEqual([stopped.state, stopped.message, stopped.epochsRun], ['cancelled', 'stopped by the user while preparing phase "fine-tune"', 0]);
  await assert.rejects(runPhases(driver(async () => { throw new Error('disk full'); }, new AbortController().signal)), /disk full/);
});
