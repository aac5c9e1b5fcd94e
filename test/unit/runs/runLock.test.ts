import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { acquireRunLock, processStartTime, releaseRunLock, runLockRefusal, RunLockedError } from '../../../src/engine/runs/runLock';
import { LOCK_FILE } from '../../../src/engine/runs/layout';
import { tempDir } from './fixtures/tempDir';

/** Another process that takes runDir's lock and keeps it until killed. */
async function holder(runDir: string) {
  const lockModule = join(__dirname, '..', '..', '..', 'src', 'engine', 'runs', 'runLock.ts');
  const script = `require(${JSON.stringify(lockModule)}).acquireRunLock(${JSON.stringify(runDir)}).then(() => { console.log('locked'); setInterval(() => {}, 1000); })`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!.setEncoding('utf8'), 'data');
  return child;
}

test('a run folder has one writer: a live holder is refused by the run name, also within one process', async (t) => {
  const runDir = await tempDir(t);
  await acquireRunLock(runDir);
  await assert.rejects(acquireRunLock(runDir), (error: Error) => error instanceof RunLockedError && error.message.includes(`run ${basename(runDir)} is being trained by process ${process.pid}`));
  await releaseRunLock(runDir);
  assert.deepEqual(await readdir(runDir), [], 'released: no lock (and no draft) left');
  await acquireRunLock(runDir);
  await releaseRunLock(runDir);
});

test('a lock held by another live process is refused; once that process is SIGKILLed the lock is taken over', async (t) => {
  const runDir = await tempDir(t);
  const other = await holder(runDir);
  try {
    await assert.rejects(acquireRunLock(runDir), new RegExp(`run ${basename(runDir)} is being trained by process ${other.pid} since `));
    assert.match((await runLockRefusal(runDir)) ?? '', new RegExp(`process ${other.pid}`), 'the extension asks before starting a resume');
  } finally {
    other.kill('SIGKILL');
    await once(other, 'exit');
  }
  assert.equal(await runLockRefusal(runDir), undefined, 'a dead holder refuses nothing');
  await acquireRunLock(runDir);
  assert.equal(JSON.parse(await readFile(join(runDir, LOCK_FILE), 'utf8')).pid, process.pid);
  await releaseRunLock(runDir);
  assert.deepEqual(await readdir(runDir), []);
});

test('a lock whose pid now belongs to another process (start time differs) is stale; an unreadable lock too', async (t) => {
  const runDir = await tempDir(t);
  assert.ok(process.platform !== 'linux' || processStartTime(process.pid), 'Linux reports start times');
  await writeFile(join(runDir, LOCK_FILE), JSON.stringify({ pid: process.ppid, startTime: '1', host: hostname(), since: '2020-01-01T00:00:00Z' }));
  if (process.platform === 'linux') {
    await acquireRunLock(runDir);
    await releaseRunLock(runDir);
  }
  await writeFile(join(runDir, LOCK_FILE), '{"pid": 12');
  await acquireRunLock(runDir);
  await releaseRunLock(runDir);
  assert.deepEqual(await readdir(runDir), []);
});
