// The dashboard's line about a completed run's data: the real host checks it from the features the run cached (no
// base pass), refuses when they are missing, and such a background check never makes the host refuse a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Requests } from '../../../src/protocol/host';
import { EXPERIMENT_FILE } from '../../../src/shared/runLayout';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { tinyExperiment, trainOnRealHost } from './fixtures/realHost';

test('a cachedOnly check of a finished run reads its cached features; an uncached folder is refused; a run is not held up by one', async (t) => {
  const workspace = await tinyExperiment(t, [{ name: 'head', epochs: 1, batchSize: 8, learningRate: 0.01 }]);
  const run = await trainOnRealHost(workspace);
  t.after(() => run.host.dispose());
  assert.equal((await run.done).state, 'completed');
  const { connection } = run.host;
  const check = (target: string) => run.host.guard(connection.sendRequest(Requests.doctor, { target, cachedOnly: true, cacheDir: workspace.cacheDir }));

  const report = await check(join(await run.runDir, EXPERIMENT_FILE));
  assert.equal(report.computed, 0, 'no image went through the base');
  assert.ok(Array.isArray(report.labelIssues) && Array.isArray(report.duplicates));

  await assert.rejects(check(await writeSyntheticDataset(3, { seed: 9 })), /have no cached features for this base yet: Check Dataset computes them/);

  const background = check(join(await run.runDir, EXPERIMENT_FILE)).catch((error: Error) => error); // aborted or done
  const again = await run.host.guard(connection.sendRequest(Requests.train, { experimentFile: workspace.experimentFile, cacheDir: workspace.cacheDir }));
  assert.equal(again.state, 'completed', 'the run was not refused because a check was under way');
  await background;
});
