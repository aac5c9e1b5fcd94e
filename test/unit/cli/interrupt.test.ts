import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { effectiveHistory, readMetrics, readRunState } from '../../../src/engine/runs';
import { LOCK_FILE } from '../../../src/shared/runLayout';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { runCli, startCli } from './runCli';

const PHASES = [
  { name: 'head', epochs: 2, batchSize: 4, learningRate: 0.01 },
  { name: 'tune', epochs: 6, batchSize: 4, learningRate: 0.0005, trainable: { topBlocks: 2 } },
];

function waitFor(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    child.stderr!.on('data', (chunk: string) => {
      seen += chunk;
      if (seen.includes(text)) resolve();
    });
  });
}

/** `train` started as a terminal starts it: in a process group of its own, whose members all get Ctrl+C's SIGINT. */
async function trainingInTerminal() {
  const data = await writeSyntheticDataset(12);
  const work = await mkdtemp(join(tmpdir(), 'tl-interrupt-'));
  const env = { TRANSFER_LAB_CACHE: join(work, 'cache') };
  const file = join(work, 'synthetic.experiment.json');
  await writeFile(file, JSON.stringify({ name: 'synthetic', seed: 3, data: { root: data, inputSize: 64 }, base: { model: 'nsfwjs_mobilenet_v2' }, phases: PHASES }));
  const run = startCli(['train', file, '--json'], env, { detached: true });
  await waitFor(run.child, 'tune epoch 1/');
  const runsRoot = join(work, 'runs');
  const [runDir] = (await readdir(runsRoot)).map((name) => join(runsRoot, name));
  const ctrlC = () => process.kill(-run.child.pid!, 'SIGINT');
  return { run, runDir, env, ctrlC };
}

test('Ctrl+C in a terminal (SIGINT to the whole process group) mid-phase is Stop: cancelled, exit 130, and resume continues', async () => {
  const { run, runDir, env, ctrlC } = await trainingInTerminal();
  ctrlC();
  const stopped = await run.done;
  assert.equal(stopped.code, 130, stopped.stderr);
  assert.equal(stopped.json.state, 'cancelled');
  assert.match(stopped.stderr, /stopping after this batch/);
  assert.equal((await readRunState(runDir))?.state, 'cancelled');
  assert.equal(existsSync(join(runDir, LOCK_FILE)), false, 'the stopped run released its lock');

  const resumed = await runCli(['resume', runDir, '--json'], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  const records = await readMetrics(runDir);
  const resumeEvent = records.find((r) => r.type === 'event' && r.event === 'resumed')!;
  assert.equal(resumeEvent.phaseIndex, 1, 'resumed in the phase it was stopped in');
  assert.ok(resumeEvent.epoch >= 1);
  const keys = effectiveHistory(records).map((r) => `${r.phaseIndex}:${r.epoch}`);
  assert.deepEqual(keys, PHASES.flatMap((phase, p) => [...Array(phase.epochs).keys()].map((i) => `${p}:${i + 1}`)), 'every epoch once');
});

test('a second Ctrl+C aborts at once, even when the host is stuck in a batch: kept as cancelled (exit 130), resumable', async () => {
  const { run, runDir, env, ctrlC } = await trainingInTerminal();
  const host = (await readRunState(runDir))!.pid!;
  process.kill(host, 'SIGSTOP'); // a batch that never ends: only the second Ctrl+C can end the run now
  const stopping = waitFor(run.child, 'stopping after this batch');
  ctrlC();
  await stopping;
  ctrlC();
  const aborted = await run.done;
  assert.equal(aborted.code, 130, aborted.stderr);
  assert.equal(aborted.json.state, 'cancelled');
  assert.match(aborted.stderr, /run cancelled \(training host aborted\)/);
  assert.equal((await readRunState(runDir))?.state, 'cancelled');
  const resumed = await runCli(['resume', runDir, '--json'], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal((await readRunState(runDir))?.state, 'completed');
});
