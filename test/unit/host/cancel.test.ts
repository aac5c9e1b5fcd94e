import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveHistory, latestGoodCheckpoint, readMetrics, readRunState } from '../../../src/engine/runs';
import { Notifications, Requests, type BatchMetrics } from '../../../src/protocol/host';
import { tinyExperiment, trainOnRealHost } from './fixtures/realHost';

test('stop sent to the real training host mid-epoch: it stops within one batch and keeps the run as "cancelled"', async (t) => {
  // batches of 1 give an epoch many batches, so "within one batch" is a real bound
  const run = await trainOnRealHost(await tinyExperiment(t, [{ name: 'head', epochs: 20, batchSize: 1, learningRate: 0.01 }]));
  t.after(() => run.host.dispose());
  const { connection } = run.host;
  const batches: BatchMetrics[] = [];
  let batchesWhenAnswered: number | undefined;
  connection.onNotification(Notifications.batch, (batch) => {
    batches.push(batch);
    if (batch.epoch === 2 && batch.batch === 2) {
      void connection.sendRequest(Requests.stop).then(({ stopping }) => {
        assert.ok(stopping);
        batchesWhenAnswered = batches.length;
      });
    }
  });
  const result = await run.done;
  assert.equal(result.state, 'cancelled');
  assert.ok(batchesWhenAnswered !== undefined);
  assert.ok(batches.length - batchesWhenAnswered <= 1, `${batches.length - batchesWhenAnswered} batches ran after the host took the stop`);
  assert.equal(batches.at(-1)!.epoch, 2, 'stopped inside the epoch it was asked in');
  assert.ok(batches.at(-1)!.batch < batches.at(-1)!.batches, 'stopped before the epoch ended');
  assert.equal((await readRunState(result.runDir))?.state, 'cancelled');
  assert.deepEqual(effectiveHistory(await readMetrics(result.runDir)).map((r) => r.epoch), [1], 'the finished epoch is kept');
  assert.equal((await latestGoodCheckpoint(result.runDir, assert.fail))?.manifest.epoch, 1);
});
