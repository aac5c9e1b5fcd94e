import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportRun } from '../../../src/cli/export';
import { userMessage } from '../../../src/engine/fileErrors';
import { readKerasModelFile } from '../../../src/engine/models/keras/readModel';
import { writeRunState } from '../../../src/engine/runs';
import { loadRunModel } from '../../../src/engine/training/runModel';
import { writeExportedRun } from '../fixtures/exportedRun';
import { runCli } from './runCli';

let runDir: string;

before(async () => {
  runDir = await writeExportedRun();
});

test('a broken .h5 is refused naming the file and the fix, not with h5wasm\'s "name not defined"', async () => {
  const good = path.join(runDir, 'good.h5');
  await exportRun(runDir, { out: good });
  const bytes = await readFile(good);
  for (const [name, data] of [['text.h5', Buffer.from('not an HDF5 file')], ['truncated.h5', bytes.subarray(0, bytes.length / 2)], ['empty.h5', Buffer.alloc(0)]] as const) {
    const file = path.join(runDir, name);
    await writeFile(file, data);
    await assert.rejects(readKerasModelFile(file), (error: Error) => {
      assert.match(error.message, new RegExp(`^${file}: is not a readable HDF5 file .*Save the model again`), name);
      return true;
    });
  }
});

test('evaluate/predict/export on a folder that is not a run say so; on an unfinished run they say resume it', async () => {
  const notARun = await mkdtemp(path.join(tmpdir(), 'tl-not-a-run-'));
  for (const attempt of [() => loadRunModel(notARun), () => exportRun(notARun)]) await assert.rejects(attempt, new RegExp(`Error: ${notARun}: not a run folder \\(it has no state.json or experiment.json\\)`));
  await assert.rejects(loadRunModel(path.join(notARun, 'nope')), /nope: no such folder — check the path/);
  const cancelled = await mkdtemp(path.join(tmpdir(), 'tl-cancelled-run-'));
  await writeRunState(cancelled, { state: 'cancelled' });
  for (const attempt of [() => loadRunModel(cancelled), () => exportRun(cancelled)]) await assert.rejects(attempt, new RegExp(`Error: ${cancelled}: the run did not complete \\(cancelled\\).*transfer-lab resume ${cancelled}`));
});

test('export into a missing folder names it and leaves nothing; a write that fails midway leaves no .part', async () => {
  const missing = path.join(runDir, 'missing');
  for (const name of ['x.h5', 'x.keras']) {
    await assert.rejects(exportRun(runDir, { out: path.join(missing, name) }), new RegExp(`Error: ${missing}: the folder to write x\\.(h5|keras) into does not exist — create it first`));
  }
  assert.equal(existsSync(missing), false);
  // the target is a folder: the finished .part cannot take its name, and is removed
  const blocked = path.join(runDir, 'blocked');
  for (const name of ['y.h5', 'y.keras']) {
    await mkdir(path.join(blocked, name), { recursive: true });
    await assert.rejects(exportRun(runDir, { out: path.join(blocked, name) }).catch((error) => Promise.reject(new Error(userMessage(error)))), new RegExp(`${blocked}/${name.replace('.', '\\.')}: is a folder`));
  }
  assert.deepEqual((await readdir(blocked)).sort(), ['y.h5', 'y.keras'], 'no .part left');
});

test('file-system errors name the path and the fix (EACCES, ENOSPC, EROFS, ENOENT)', () => {
  const failure = (code: string, syscall: string) => Object.assign(new Error(`${code}: raw, ${syscall} '/data/out/model.h5'`), { code, syscall, path: '/data/out/model.h5' });
  assert.match(userMessage(failure('EACCES', 'open')), /^\/data\/out\/model\.h5: permission denied — choose a location you may write to, or change its permissions$/);
  assert.match(userMessage(failure('ENOSPC', 'write')), /^\/data\/out\/model\.h5: the disk is full — free some space or choose another disk, then try again$/);
  assert.match(userMessage(failure('EROFS', 'open')), /^\/data\/out\/model\.h5: .*read-only/);
  assert.match(userMessage(failure('ENOENT', 'open')), /^\/data\/out\/model\.h5: no such file or folder — check the path/);
  assert.equal(userMessage(new Error('already a sentence naming a file')), 'already a sentence naming a file');
});

test('the CLI prints export failures as the file and the fix: no raw errno, no stack, a JSON error', async () => {
  const out = path.join(runDir, 'absent', 'model.h5');
  const result = await runCli(['export', runDir, '--out', out, '--json']);
  assert.equal(result.code, 1, result.stderr);
  assert.match(String(result.json.error), new RegExp(`^${path.dirname(out)}: the folder to write model\\.h5 into does not exist`));
  assert.doesNotMatch(result.stderr, /ENOENT|HDF5-DIAG|\n\s+at /);
  assert.equal(existsSync(path.dirname(out)), false);
});
