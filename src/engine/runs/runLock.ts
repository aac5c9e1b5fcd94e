// One writer per run folder (git's index.lock): the process training a run holds run.lock, naming itself by pid and
// process start time. A lock whose process is gone (ended, crashed, SIGKILLed, or its pid now reused) is stale and
// taken over; a live one is refused by the run's name.
import { readFileSync } from 'node:fs';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LOCK_FILE } from './layout';
import { processAlive } from './process';

interface LockHolder {
  pid: number;
  /** Linux start time in clock ticks since boot: tells a reused pid from the process that took the lock. */
  startTime?: string;
  host: string;
  since: string;
}

export class RunLockedError extends Error {}

/** Field 22 of /proc/<pid>/stat; undefined without /proc (macOS, Windows), where the pid alone decides. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: count fields after its closing ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isLive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true; // another machine's process cannot be checked from here
  if (!processAlive(holder.pid)) return false;
  const startTime = processStartTime(holder.pid);
  return holder.startTime === undefined || startTime === undefined || startTime === holder.startTime;
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(text) as LockHolder;
    return Number.isInteger(holder.pid) && typeof holder.host === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}

const held = new Map<string, string>();

function refusal(runDir: string, holder: LockHolder): string {
  const where = holder.host === hostname() ? '' : ` on ${holder.host}`;
  return `run ${basename(runDir)} is being trained by process ${holder.pid}${where} since ${holder.since}: stop that run first ` +
    `(Stop Training, or Ctrl+C in its terminal) or wait for it to end. If no such process exists, delete ${join(runDir, LOCK_FILE)}`;
}

/** Why runDir cannot be opened for writing now (a live process trains it), or undefined when it can. */
export async function runLockRefusal(runDir: string): Promise<string | undefined> {
  const holder = parseHolder(await readFile(join(runDir, LOCK_FILE), 'utf8').catch(() => ''));
  return holder && isLive(holder) ? refusal(runDir, holder) : undefined;
}

/** Takes runDir's lock for this process, or throws RunLockedError naming the run and the process training it. */
export async function acquireRunLock(runDir: string): Promise<void> {
  const path = join(runDir, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, startTime: processStartTime(process.pid), host: hostname(), since: new Date().toISOString() } satisfies LockHolder);
  // written whole beside the lock, then linked into place: link fails if a lock exists, so no reader sees half a lock
  const draft = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
  await writeFile(draft, mine);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(draft, path);
        held.set(runDir, mine);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const seen = await readFile(path, 'utf8').catch(() => '');
      const holder = parseHolder(seen);
      if (holder && isLive(holder)) throw new RunLockedError(refusal(runDir, holder));
      await takeOver(path, seen);
    }
    throw new RunLockedError(`${path}: other processes keep taking this run's lock; try again once they have stopped`);
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

/** Moves a stale lock aside; if another process replaced it meanwhile, that newer lock is put back. */
async function takeOver(path: string, stale: string): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // its holder just released it
    throw error;
  }
  if ((await readFile(aside, 'utf8').catch(() => stale)) !== stale) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/** Gives up runDir's lock if this process holds it (a no-op otherwise). */
export async function releaseRunLock(runDir: string): Promise<void> {
  const mine = held.get(runDir);
  if (mine === undefined) return;
  held.delete(runDir);
  const path = join(runDir, LOCK_FILE);
  if ((await readFile(path, 'utf8').catch(() => undefined)) === mine) await unlink(path);
}
