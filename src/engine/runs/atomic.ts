// Writes that never leave a half-written file behind: a crash leaves either the old content or the new.
import { promises as fs } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';

const isWindows = process.platform === 'win32';

/** Flushes a folder's entries (new names, renames) to disk; Windows cannot open folders and journals them anyway. */
export async function fsyncDirectory(path: string): Promise<void> {
  if (isWindows) return;
  const handle = await fs.open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a whole file and fsyncs it, so its content is on disk before any rename publishes it. */
export async function writeFileSynced(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** rename, retried briefly on Windows where antivirus and indexers hold files open for a moment. */
export async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fs.rename(from, to);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const transient = isWindows && (code === 'EPERM' || code === 'EACCES' || code === 'EBUSY');
      if (!transient || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

/** temp file in the same folder + fsync + rename + fsync of the folder (Lightning's `_atomic_save`). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFileSynced(temp, data);
    await renameWithRetry(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await fsyncDirectory(dirname(path));
}

/**
 * Writes `file` through `<file>.part` — made by `write`, which may be a library that writes by path — renamed into
 * place once complete. The folder must exist; a failed write leaves neither the part nor a file behind.
 */
export async function writeThroughPart(file: string, write: (part: string) => Promise<void>): Promise<void> {
  const folder = dirname(file);
  if (!(await fs.stat(folder).then((s) => s.isDirectory(), () => false))) {
    throw new Error(`${folder}: the folder to write ${basename(file)} into does not exist — create it first, or choose another path`);
  }
  const part = `${file}.part`;
  try {
    await fs.rm(part, { force: true });
    await write(part);
    await renameWithRetry(part, file);
  } catch (error) {
    await fs.rm(part, { force: true });
    throw error;
  }
}
