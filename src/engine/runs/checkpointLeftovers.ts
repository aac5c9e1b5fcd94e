// Hidden work folders next to checkpoints (being written, set aside, being deleted) and cleaning up after a crash.
import { processAlive } from './process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { renameWithRetry } from './atomic';

/** tmp: a save in progress; old: the previous folder of a replaced tag; del: a pruned checkpoint being removed. */
type WorkKind = 'tmp' | 'old' | 'del';
const WORK_NAME = /^\.(tmp|old|del)-(\d+)-[0-9a-f]+-(.+)$/;

// work folders this process is using right now, so a cleanup in the same process leaves them alone
const inUse = new Set<string>();

/** Names start with '.' so listings skip them; the pid tells a cleanup whether their owner may still be alive. */
export function workFolder(checkpointsDir: string, kind: WorkKind, tag: string): string {
  return join(checkpointsDir, `.${kind}-${process.pid}-${randomBytes(4).toString('hex')}-${tag}`);
}

export async function whileInUse<T>(path: string, task: () => Promise<T>): Promise<T> {
  inUse.add(path);
  try {
    return await task();
  } finally {
    inUse.delete(path);
  }
}

/** Renames a folder away (atomically, so it never looks half-deleted) and then deletes it. */
export async function removeFolder(checkpointsDir: string, dir: string, tag: string): Promise<void> {
  const doomed = workFolder(checkpointsDir, 'del', tag);
  await whileInUse(doomed, async () => {
    await renameWithRetry(dir, doomed);
    await fs.rm(doomed, { recursive: true, force: true });
  });
}

async function exists(path: string): Promise<boolean> {
  return fs.access(path).then(() => true, () => false);
}

/**
 * Deletes work folders whose owner is gone. A set-aside previous version whose replacement never arrived
 * (killed between the two renames) is renamed back, so that checkpoint stays available.
 */
export async function cleanCheckpointLeftovers(checkpointsDir: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(checkpointsDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const name of names) {
    const match = WORK_NAME.exec(name);
    const path = join(checkpointsDir, name);
    if (!match || inUse.has(path) || (Number(match[2]) !== process.pid && processAlive(Number(match[2])))) continue;
    const home = join(checkpointsDir, match[3]);
    if (match[1] === 'old' && !(await exists(home))) await renameWithRetry(path, home);
    else await fs.rm(path, { recursive: true, force: true });
  }
}
