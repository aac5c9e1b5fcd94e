import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { TrainingHost } from '../../../src/host/client';
import { Requests } from '../../../src/protocol/host';
import { REPO } from '../cli/runCli';

test('the training host answers how fast it computes, measured once, for the wizard (which never loads TensorFlow.js)', async (t) => {
  const host = await TrainingHost.start({ script: join(REPO, 'dist', 'host.js'), engine: 'wasm' });
  t.after(() => host.dispose());
  const speed = await host.connection.sendRequest(Requests.machineSpeed);
  assert.equal(speed.backend, 'wasm');
  assert.equal(speed.threads, Math.min(availableParallelism(), 4), 'one frozen-output worker per core, at most 4');
  assert.ok(Number.isFinite(speed.gflops) && speed.gflops > 0);
  t.diagnostic(`${speed.gflops.toFixed(1)} GFLOP/s on ${speed.threads} threads`);
  assert.deepEqual(await host.connection.sendRequest(Requests.machineSpeed), speed, 'the second answer is the first measurement');
});
