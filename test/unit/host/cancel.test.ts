import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveHistory, latestGoodCheckpoint, readMetrics, readRunState } from '../../../src/engine/runs';
import { Notifications, Requests, type BatchMetrics } from '../../../src/protocol/host';
import { tinyExperiment, trainOnRealHost } from './fixtures/realHost';

test('stop sent to the real training host mid-epoch: it runs at most one more batch and keeps the run as "cancelled"', async (t) => {
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
  // the host may take the stop some batches after it was sent (batches of one are quick), even after an epoch ended
  assert.equal((await readRunState(result.runDir))?.state, 'cancelled');
  const finished = effectiveHistory(await readMetrics(result.runDir)).map((r) => r.epoch);
  assert.deepEqual(finished, Array.from({ length: finished.length }, (_, i) => i + 1), 'the finished epochs are kept, in order');
  assert.ok(finished.length >= 1 && finished.length < 20, `finished ${finished.length} of 20 epochs`);
  assert.ok([finished.length, finished.length + 1].includes(batches.at(-1)!.epoch), 'nothing ran past the epoch it stopped in');
  assert.equal((await latestGoodCheckpoint(result.runDir, assert.fail))?.manifest.epoch, finished.length, 'the last finished epoch is checkpointed');
});
