import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { effectiveHistory, readMetrics, readRunState } from '../../../src/engine/runs';
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

test('SIGKILL of the training host mid-run: the run is marked crashed and resumes at the next epoch with no duplicate epochs', async () => {
  const data = await writeSyntheticDataset(12);
  const work = await mkdtemp(join(tmpdir(), 'tl-resume-'));
  const env = { TRANSFER_LAB_CACHE: join(work, 'cache') };
  const file = join(work, 'synthetic.experiment.json');
  const runsRoot = join(work, 'runs');
  await writeFile(file, JSON.stringify({
    name: 'synthetic', seed: 3, data: { root: data, inputSize: 64 }, base: { model: 'mobilenet_v2' },
    phases: [
      { name: 'head', epochs: 2, batchSize: 4, learningRate: 0.01 },
      { name: 'tune', epochs: 40, batchSize: 4, learningRate: 0.0005, trainable: { topBlocks: 2 } },
    ],
  }));
  const run = startCli(['train', file, '--json'], env);
  await waitForEpochLine(run.child, 'tune', 2);
  const [runDir] = (await readdir(runsRoot)).map((name) => join(runsRoot, name));
  process.kill((await readRunState(runDir))!.pid!, 'SIGKILL');
  const crashed = await run.done;
  assert.equal(crashed.code, 4, crashed.stderr);
  assert.match(crashed.stderr, /training host was killed \(SIGKILL\)/);
  assert.match(crashed.stderr, new RegExp(`resume it with: transfer-lab resume ${runDir}`));
  assert.equal((await readRunState(runDir))?.state, 'crashed');
  const before = effectiveHistory(await readMetrics(runDir));
  const lastDone = before.at(-1)!;
  assert.equal(lastDone.phase, 'tune');

  const resumed = await runCli(['resume', runDir, '--json'], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(resumed.json.run_dir, runDir, 'resume continues the same run folder');
  assert.equal((await readRunState(runDir))?.state, 'completed');
  const records = await readMetrics(runDir);
  const resumeEvent = records.find((r) => r.type === 'event' && r.event === 'resumed')!;
  assert.ok(resumeEvent.epoch >= lastDone.epoch - 1 && resumeEvent.epoch <= lastDone.epoch, 'resumed from the last checkpointed epoch');
  const firstAfter = records.slice(records.indexOf(resumeEvent)).find((r) => r.type === 'epoch')!;
  assert.equal(firstAfter.epoch, resumeEvent.epoch + 1, 'training restarts at the epoch after the checkpoint');
  const history = effectiveHistory(records);
  const keys = history.map((r) => `${r.phaseIndex}:${r.epoch}`);
  assert.equal(new Set(keys).size, keys.length, 'no duplicate epochs');
  assert.deepEqual(keys, [...Array(2).keys()].map((i) => `0:${i + 1}`).concat([...Array(40).keys()].map((i) => `1:${i + 1}`)));
  assert.ok(JSON.parse(await readFile(join(runDir, 'evaluation.json'), 'utf8')).val.accuracy > 0.5);
});
