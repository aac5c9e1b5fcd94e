import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  effectiveHistory, epochCheckpointTag, latestGoodCheckpoint, readMetrics, saveCheckpoint,
} from '../../../src/engine/runs';
import { createRng, deriveSeed } from '../../../src/engine/random';
import { fakeWeights, sameWeights } from './fixtures/fakeWeights';
import { tempDir } from './fixtures/tempDir';

const KILLS = 15;
const MAX_DELAY_MS = 150;
const repoRoot = resolve(__dirname, '../../..');
const writerScript = join(__dirname, 'fixtures', 'checkpointWriter.ts');

/** Starts a writer resuming after `epoch`; resolves once it is running, tracking the last epoch it reported saved. */
async function startWriter(runDir: string, epoch: number) {
  const child: ChildProcess = fork(writerScript, [runDir, String(epoch)], {
    cwd: repoRoot, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const progress = { lastSaved: epoch };
  const ready = new Promise<void>((resolveReady, reject) => {
    child.on('message', (message: { type: string; epoch?: number }) => {
      if (message.type === 'ready') resolveReady();
      if (message.type === 'saved') progress.lastSaved = message.epoch!;
    });
    child.once('exit', (code) => reject(new Error(`checkpoint writer exited early with code ${code}`)));
  });
  await ready;
  return { child, progress };
}

test('SIGKILL at random moments always leaves a verified checkpoint and a readable metrics log', async (t) => {
  const runDir = await tempDir(t, 'transfer-lab-kill-');
  const rng = createRng(deriveSeed(20240501, 'kill-delays'));
  await saveCheckpoint(runDir, epochCheckpointTag(0, 0), fakeWeights(0), { phase: 'head', phaseIndex: 0, epoch: 0 });
  const warnings: string[] = [];
  let resumeAfter = 0;
  let interruptedWrites = 0; // kills that left a save or delete half done
  for (let kill = 0; kill < KILLS; kill++) {
    const { child, progress } = await startWriter(runDir, resumeAfter);
    const exited = once(child, 'exit');
    await new Promise((r) => setTimeout(r, rng() * MAX_DELAY_MS));
    child.kill('SIGKILL');
    await exited;

    if ((await readdir(join(runDir, 'checkpoints'))).some((name) => name.startsWith('.'))) interruptedWrites++;
    const latest = await latestGoodCheckpoint(runDir, (m) => warnings.push(m));
    assert.ok(latest, `kill ${kill}: no checkpoint survived`);
    const { epoch } = latest.manifest;
    assert.ok(epoch >= progress.lastSaved, `kill ${kill}: epoch ${progress.lastSaved} was saved, resumed from ${epoch}`);
    assert.ok(sameWeights(latest.tensors, fakeWeights(epoch)), `kill ${kill}: epoch ${epoch} weights differ`);
    await readMetrics(runDir);
    resumeAfter = epoch;
  }
  assert.deepEqual(warnings, [], 'a published checkpoint must never be corrupt');
  assert.ok(interruptedWrites > 0, 'no kill landed during a checkpoint write; the test proves nothing');
  assert.ok(resumeAfter >= KILLS / 3, `training should make progress between kills, reached epoch ${resumeAfter}`);

  const history = effectiveHistory(await readMetrics(runDir));
  const epochs = history.map((r) => r.epoch);
  assert.deepEqual(epochs, Array.from({ length: epochs.length }, (_, i) => i + 1), 'each epoch exactly once, in order');
  assert.ok(epochs.length >= resumeAfter);
});
