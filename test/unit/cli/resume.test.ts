import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { effectiveHistory, readMetrics, readRunState } from '../../../src/engine/runs';
import { LOCK_FILE } from '../../../src/shared/runLayout';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { runCli, startCli } from './runCli';

/** Resolves when the CLI prints the epoch line for `phase` `epoch` (it prints after the checkpoint is written). */
function waitForEpochLine(child: ChildProcess, phase: string, epoch: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    child.stderr!.on('data', (chunk: string) => {
      seen += chunk;
      if (seen.includes(`${phase} epoch ${epoch}/`)) resolve();
    });
  });
}

const PHASES = [
  { name: 'head', epochs: 2, batchSize: 4, learningRate: 0.01 },
  { name: 'tune', epochs: 40, batchSize: 4, learningRate: 0.0005, trainable: { topBlocks: 2 } },
];

/** Starts a run of PHASES and SIGKILLs its training host once `tune` epoch `epoch` is checkpointed (and `whileTraining` is done). */
async function crashedRun(epoch: number, whileTraining?: (runDir: string, env: NodeJS.ProcessEnv) => Promise<void>) {
  const data = await writeSyntheticDataset(12);
  const work = await mkdtemp(join(tmpdir(), 'tl-resume-'));
  const env = { TRANSFER_LAB_CACHE: join(work, 'cache') };
  const file = join(work, 'synthetic.experiment.json');
  const runsRoot = join(work, 'runs');
  await writeFile(file, JSON.stringify({ name: 'synthetic', seed: 3, data: { root: data, inputSize: 64 }, base: { model: 'nsfwjs_mobilenet_v2' }, phases: PHASES }));
  const run = startCli(['train', file, '--json'], env);
  await waitForEpochLine(run.child, 'tune', epoch);
  const [runDir] = (await readdir(runsRoot)).map((name) => join(runsRoot, name));
  await whileTraining?.(runDir, env);
  process.kill((await readRunState(runDir))!.pid!, 'SIGKILL');
  return { runDir, env, crashed: await run.done };
}

/** A second writer on a live run would log epochs twice: the run folder's lock refuses it by the run's name. */
async function resumeIsRefused(runDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const trainer = (await readRunState(runDir))!.pid!;
  const second = await runCli(['resume', runDir, '--json'], env);
  assert.equal(second.code, 1, second.stderr);
  assert.match(String(second.json.error), new RegExp(`run ${basename(runDir)} is being trained by process ${trainer} since .*stop that run first`));
  assert.equal((await readMetrics(runDir)).filter((r) => r.type === 'event' && r.event === 'resumed').length, 0, 'the refused resume wrote nothing');
  assert.equal((await readRunState(runDir))?.state, 'running');
}

test('SIGKILL of the training host mid-run: a resume while it trains is refused by name; then the run is marked crashed, its stale lock taken over, and it resumes at the next epoch with no duplicate epochs', async () => {
  const { runDir, env, crashed } = await crashedRun(2, resumeIsRefused);
  assert.equal(crashed.code, 4, crashed.stderr);
  assert.ok(existsSync(join(runDir, LOCK_FILE)), 'the SIGKILLed host could not release its lock');
  assert.match(crashed.stderr, /training host was killed \(SIGKILL\)/);
  assert.match(crashed.stderr, new RegExp(`resume it with: transfer-lab resume ${runDir}`));
  assert.equal((await readRunState(runDir))?.state, 'crashed');
  const newest = (await readdir(join(runDir, 'checkpoints'))).filter((name) => name.startsWith('epoch-1-')).sort().at(-1)!;
  const newestEpoch = Number(newest.split('-').pop());
  assert.ok(newestEpoch >= 2, 'tune epoch 2 was reported, so it was checkpointed');

  const resumed = await runCli(['resume', runDir, '--json'], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(resumed.json.run_dir, runDir, 'resume continues the same run folder');
  assert.equal((await readRunState(runDir))?.state, 'completed');
  const records = await readMetrics(runDir);
  const resumeEvent = records.find((r) => r.type === 'event' && r.event === 'resumed')!;
  assert.deepEqual([resumeEvent.phaseIndex, resumeEvent.epoch], [1, newestEpoch], 'resumed from the newest checkpoint');
  const firstAfter = records.slice(records.indexOf(resumeEvent)).find((r) => r.type === 'epoch')!;
  assert.equal(firstAfter.epoch, resumeEvent.epoch + 1, 'training restarts at the epoch after the checkpoint');
  const history = effectiveHistory(records);
  const keys = history.map((r) => `${r.phaseIndex}:${r.epoch}`);
  assert.equal(new Set(keys).size, keys.length, 'no duplicate epochs');
  assert.deepEqual(keys, PHASES.flatMap((phase, p) => [...Array(phase.epochs).keys()].map((i) => `${p}:${i + 1}`)));
  assert.ok(JSON.parse(await readFile(join(runDir, 'evaluation.json'), 'utf8')).val.accuracy > 0.5);
  assert.equal(existsSync(join(runDir, LOCK_FILE)), false, 'the completed run released its lock');
});

test('a corrupt latest checkpoint: resume warns, falls back to the previous one and still completes', async () => {
  const { runDir, env } = await crashedRun(3);
  const checkpoints = (await readdir(join(runDir, 'checkpoints'))).filter((name) => name.startsWith('epoch-')).sort();
  const [previous, latest] = checkpoints.slice(-2);
  await truncate(join(runDir, 'checkpoints', latest, 'weights.bin'), 10);
  const resumed = await runCli(['resume', runDir, '--json'], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`checkpoints/${latest}/weights.bin is corrupt .*resuming from ${previous}`));
  const resumeEvent = (await readMetrics(runDir)).find((r) => r.type === 'event' && r.event === 'resumed')!;
  assert.equal(resumeEvent.epoch, Number(previous.split('-').pop()));
  const keys = effectiveHistory(await readMetrics(runDir)).map((r) => `${r.phaseIndex}:${r.epoch}`);
  assert.equal(new Set(keys).size, keys.length);
  assert.equal(keys.length, 42);
});
