import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { appendMetrics, effectiveHistory, listRuns, readMetrics, writeRunState } from '../../../src/engine/runs';
import { RunFollower } from '../../../src/extension/training/runFollower';
import type { RunProgress } from '../../../src/extension/training/runProgress';
import type { RunEvent } from '../../../src/extension/webviews/services';
import { METRICS_FILE, STATE_FILE } from '../../../src/shared/runLayout';
import { startCli } from '../cli/runCli';
import { writeExperiment } from '../fixtures/experiments';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { tempDir } from '../runs/fixtures/tempDir';

function record(follower: RunFollower) {
  const events: RunEvent[] = [];
  const progress: RunProgress[] = [];
  follower.onEvent((e) => events.push(e));
  follower.onProgress((p) => progress.push(p));
  return { events, progress, epochs: () => events.flatMap((e) => (e.kind === 'epoch' ? [e.data] : [])) };
}

test('a run trained by the CLI in another process shows live: its epochs as events while it trains, each once, as its metrics.jsonl has them', async () => {
  const data = await writeSyntheticDataset(6);
  const file = await writeExperiment(data, { phases: [{ name: 'head', epochs: 6, batchSize: 8, learningRate: 0.01 }] });
  const cli = startCli(['train', file, '--engine', 'wasm', '--json'], { TRANSFER_LAB_CACHE: await mkdtemp(join(tmpdir(), 'tl-cache-')) });
  let exited = false;
  void cli.done.then(() => (exited = true));
  const follower = new RunFollower(() => false);
  const seen = record(follower);
  let epochsWhileTraining = 0;
  follower.onEvent((e) => void (e.kind === 'epoch' && !exited && (epochsWhileTraining += 1)));
  // what VS Code's file watcher does in the extension: say which run file changed (here: each one, every 50 ms)
  const runsRoot = join(dirname(file), 'runs');
  const poll = async () => {
    for (const runDir of await listRuns(runsRoot)) for (const name of [METRICS_FILE, STATE_FILE]) await follower.changed(join(runDir, name));
  };
  while (!exited) await Promise.all([poll(), delay(50)]);
  await poll();
  const result = await cli.done;
  assert.equal(result.code, 0, result.stderr);
  const runDir = result.json.run_dir as string;

  const logged = effectiveHistory(await readMetrics(runDir));
  assert.deepEqual(seen.epochs().map((e) => ({ ...e, runDir: undefined })), logged.map((r) => ({ ...r, runDir: undefined })), 'every epoch once, as logged');
  assert.ok(seen.epochs().every((e) => e.runDir === runDir));
  assert.equal(logged.length, 6);
  assert.ok(epochsWhileTraining > 0, 'epochs arrived while the CLI was still training');
  assert.ok(seen.events.some((e) => e.kind === 'batch'), 'batches too (the dashboard charts them)');
  const states = seen.events.flatMap((e) => (e.kind === 'state' ? [e.data.state] : []));
  assert.equal(states.at(-1), 'completed');
  assert.match(seen.progress.at(-1)!.statusText, /^\$\(check\) synthetic: completed · val \d+\.\d%$/, 'the status bar names the experiment and its end');
});

test("the window's own run is left to its host; changes that come together are read without repeating a record", async (t) => {
  const runsRoot = await tempDir(t);
  const own = join(runsRoot, 'own'), other = join(runsRoot, 'other');
  for (const dir of [own, other]) {
    await mkdir(dir);
    await writeRunState(dir, { state: 'running' });
  }
  const follower = new RunFollower((runDir) => runDir === own);
  const seen = record(follower);
  await appendMetrics(own, { type: 'epoch', phase: 'p', phaseIndex: 0, epoch: 1 });
  await follower.changed(join(own, METRICS_FILE));
  assert.equal(seen.events.length, 0, 'the host reports its own run');

  await follower.changed(join(other, STATE_FILE));
  await appendMetrics(other, { type: 'epoch', phase: 'p', phaseIndex: 0, epoch: 1, val_accuracy: 0.5 });
  await Promise.all([follower.changed(join(other, METRICS_FILE)), follower.changed(join(other, STATE_FILE)), follower.changed(join(other, METRICS_FILE))]);
  assert.deepEqual(seen.events.map((e) => e.kind), ['state', 'epoch']);
  assert.match(seen.progress.at(-1)!.statusText, / other: /, 'a run without a snapshot is named by its folder');
});

test('a run first seen already finished (a run of this window that just ended) replays no history: only its state', async (t) => {
  const runDir = join(await tempDir(t), 'done');
  await mkdir(runDir);
  for (let epoch = 1; epoch <= 3; epoch++) await appendMetrics(runDir, { type: 'epoch', phase: 'p', phaseIndex: 0, epoch });
  await writeRunState(runDir, { state: 'completed' });
  const follower = new RunFollower(() => false);
  const seen = record(follower);
  await follower.changed(join(runDir, STATE_FILE));
  assert.deepEqual(seen.events.map((e) => e.kind), ['state']);
  await writeRunState(runDir, { state: 'running' }); // resumed later: what it appends then is followed
  await appendMetrics(runDir, { type: 'epoch', phase: 'p', phaseIndex: 0, epoch: 4 });
  await follower.changed(join(runDir, METRICS_FILE));
  assert.deepEqual(seen.epochs().map((e) => e.epoch), [4]);
});
