import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readRunState, writeRunState } from '../../../src/engine/runs/state';
import { tempDir } from './fixtures/tempDir';

test('writes merge into the current state and stamp updatedAt', async (t) => {
  const runDir = await tempDir(t);
  const start = new Date(Date.UTC(2024, 4, 1, 10));
  const later = new Date(Date.UTC(2024, 4, 1, 11));
  await writeRunState(runDir, { state: 'running', phase: 'head', epoch: 1, pid: 123, engine: 'wasm' }, start);
  const merged = await writeRunState(runDir, { epoch: 2, message: 'warming up' }, later);
  const read = await readRunState(runDir);
  assert.deepEqual(read, merged);
  assert.deepEqual(read, {
    state: 'running', phase: 'head', epoch: 2, pid: 123, engine: 'wasm', message: 'warming up',
    startedAt: start.toISOString(), updatedAt: later.toISOString(),
  });
  const cleared = await writeRunState(runDir, { state: 'completed', message: undefined }, later);
  assert.equal(cleared.state, 'completed');
  assert.equal((await readRunState(runDir))?.message, undefined);
  assert.deepEqual(await readdir(runDir), ['state.json']); // no temp files left behind
});

test('concurrent patches from one process all survive', async (t) => {
  const runDir = await tempDir(t);
  await writeRunState(runDir, { state: 'running' });
  await Promise.all([
    writeRunState(runDir, { phase: 'fine-tune' }),
    writeRunState(runDir, { epoch: 4 }),
    writeRunState(runDir, { batch: 17 }),
    writeRunState(runDir, { skippedFiles: 2 }),
  ]);
  const state = await readRunState(runDir);
  assert.deepEqual([state?.phase, state?.epoch, state?.batch, state?.skippedFiles], ['fine-tune', 4, 17, 2]);
});

test('missing state reads as null; a bad file or a first write without state names the file', async (t) => {
  const runDir = await tempDir(t);
  assert.equal(await readRunState(runDir), null);
  await assert.rejects(writeRunState(runDir, { epoch: 1 }), /state\.json would have no "state"/);
  const file = join(runDir, 'state.json');
  await writeFile(file, '{"state": "runn');
  await assert.rejects(readRunState(runDir), (e: Error) => e.message.includes(file) && /fix or delete/.test(e.message));
  await writeFile(file, '{"state": "sleeping"}');
  await assert.rejects(readRunState(runDir), /no valid "state"/);
});
