import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { machineSpeed } from '../../../src/engine/backend/calibration';

test('the host measures its speed once: a matmul rate on its backend and the threads that compute frozen outputs', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const speed = machineSpeed();
  assert.ok(Number.isFinite(speed.gflops) && speed.gflops > 0, `${speed.gflops} GFLOP/s`);
  assert.deepEqual([speed.backend, speed.threads], ['cpu', 1], 'only wasm hands frozen outputs to one worker per core');
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  assert.equal(machineSpeed(), speed, 'measured once per process');
});
