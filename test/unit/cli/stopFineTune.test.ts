// Stopping the CLI while it fine-tunes every layer: nothing is cached there, so every batch is decoded live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { effectiveHistory, readMetrics, readRunState } from '../../../src/engine/runs';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { runCli, startCli } from './runCli';

const PHASES = [
  { name: 'head', epochs: 1, batchSize: 4, learningRate: 0.01 },
  { name: 'tune', epochs: 4, batchSize: 4, learningRate: 1e-4, trainable: { all: true } },
];

test('SIGINT to the CLI during a fine-tune of every layer: exit 130, "cancelled", only real epochs logged, resume finishes the rest', async () => {
  const data = await writeSyntheticDataset(4);
  const work = await mkdtemp(join(tmpdir(), 'tl-stop-'));
  const env = { TRANSFER_LAB_CACHE: join(work, 'cache') };
  const file = join(work, 'synthetic.experiment.json');
  await writeFile(file, JSON.stringify({ name: 'synthetic', seed: 3, data: { root: data, inputSize: 64 }, base: { model: 'nsfwjs_mobilenet_v2' }, phases: PHASES }));
  const run = startCli(['train', file, '--json'], env);
  let seen = '';
  run.child.stderr!.on('data', (chunk: string) => {
    seen += chunk;
    // the epoch line comes after its checkpoint: the stop lands as the next epoch starts reading images
    if (seen.includes('tune epoch 1/') && !run.child.killed) run.child.kill('SIGINT');
  });
  const stopped = await run.done;
  assert.equal(stopped.code, 130, stopped.stderr);
  assert.equal(stopped.json.state, 'cancelled');
  const runDir = stopped.json.run_dir as string;
  assert.equal((await readRunState(runDir))?.state, 'cancelled');
  const logged = (await readMetrics(runDir)).filter((r) => r.type === 'epoch');
  const tuned = logged.filter((r) => r.phase === 'tune').map((r) => r.epoch);
  assert.deepEqual(tuned, tuned.map((_, i) => i + 1), 'the tune epochs that ran, in order');
  assert.ok(tuned.length >= 1 && tuned.length < 4, `stopped after ${tuned.length} of 4 tune epochs`);
  assert.ok(logged.every((r) => Number.isFinite(r.loss)), 'no epoch logged without a loss');
  assert.ok(!(await readdir(join(runDir, 'checkpoints'))).includes('epoch-1-0004'), 'no checkpoint of an epoch that never ran');

  const resumed = await runCli(['resume', runDir, '--json'], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(effectiveHistory(await readMetrics(runDir)).map((r) => [r.phase, r.epoch]), [['head', 1], ['tune', 1], ['tune', 2], ['tune', 3], ['tune', 4]]);
});
