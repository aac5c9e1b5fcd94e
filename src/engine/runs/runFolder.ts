// One folder per run, named so a listing sorts by start time and an existing run is never written into.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { EXPERIMENT_FILE, STATE_FILE } from '../../shared/runLayout';

const MAX_SLUG_LENGTH = 60;
const MAX_SAME_NAME_RUNS = 1000;

/** Keeps letters (any script), marks, digits, '-' and '_'; every other run of characters becomes one '-'. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\p{N}_-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  // cut by code points so a surrogate pair is never split; a trailing '-' left by the cut is dropped
  const cut = Array.from(slug).slice(0, MAX_SLUG_LENGTH).join('').replace(/-+$/, '');
  return cut || 'run';
}

/** Local time as YYYYMMDD-HHMMSS, the form users see in folder names. */
export function runTimestamp(now: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}`;
  return `${date}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
}

export async function createRunFolder(runsRoot: string, experimentName: string, now = new Date()): Promise<string> {
  await fs.mkdir(runsRoot, { recursive: true });
  const base = `${runTimestamp(now)}-${slugify(experimentName)}`;
  for (let n = 1; n <= MAX_SAME_NAME_RUNS; n++) {
    const dir = join(runsRoot, n === 1 ? base : `${base}-${n}`);
    try {
      // not recursive: EEXIST is how we learn another run (or process) already owns the name
      await fs.mkdir(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`${join(runsRoot, base)}: ${MAX_SAME_NAME_RUNS} runs already use this name; remove old runs from ${runsRoot}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}

const byName = new Intl.Collator('en', { numeric: true }).compare;

/** Run folders under runsRoot (full paths), oldest first; folders without a state or experiment file are skipped. */
export async function listRuns(runsRoot: string): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(runsRoot, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  const isRun = await Promise.all(
    names.map(async (name) =>
      (await exists(join(runsRoot, name, STATE_FILE))) || exists(join(runsRoot, name, EXPERIMENT_FILE)),
    ),
  );
  return names.filter((_, i) => isRun[i]).sort(byName).map((name) => join(runsRoot, name));
}
