// A tfjs export into a folder that may hold an earlier export: written beside it, then swapped in, so a replaced
// export keeps no stale weight shards and a failed one leaves the earlier export as it was.
import { cp, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isKerasModelFile } from '../engine/models/keras/modelFile';

/** `inner` is `outer` or somewhere below it. */
function within(outer: string, inner: string): boolean {
  const relative = path.relative(outer, inner);
  return relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative);
}

/** The promise's value, or `missing` when the path it works on does not exist. */
function ifExists<T>(work: Promise<T>, missing: T): Promise<T> {
  return work.catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return missing;
    throw error;
  });
}

/** Why `target` must not be replaced, or undefined when it is absent, empty or an earlier tfjs model export. */
async function refusal(target: string): Promise<string | undefined> {
  const found = await ifExists(stat(target), undefined);
  if (!found) return undefined;
  if (!found.isDirectory()) return 'is a file, not a folder';
  const names = await readdir(target);
  if (names.length === 0 || names.includes('model.json')) return undefined;
  return 'holds other things and no model.json (it is not an earlier tfjs export), so it was left as it is';
}

/** Copies the run's tfjs model folder `modelDir` (without Keras copies) to `target`, replacing an earlier export there. */
export async function writeTfjsFolder(modelDir: string, target: string): Promise<void> {
  const runName = `${path.basename(path.dirname(modelDir))}-model`;
  if (within(modelDir, target) || within(target, modelDir)) {
    throw new Error(`${target}: --out must be outside the run's model folder ${modelDir} and not contain it — give a folder elsewhere, e.g. ${path.join(path.dirname(path.dirname(modelDir)), runName)}`);
  }
  const reason = await refusal(target);
  if (reason) throw new Error(`${target} ${reason}. Give --out a new folder, e.g. ${path.join(target, runName)}`);
  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true });
  const fresh = await mkdtemp(path.join(parent, `.${path.basename(target)}.new-`));
  const old = `${fresh}.old`;
  try {
    // Keras copies exported beside the tfjs files (the default place) are not part of the tfjs model.
    await cp(modelDir, fresh, { recursive: true, filter: (source) => !isKerasModelFile(source) });
    const replacing = await ifExists(rename(target, old).then(() => true), false);
    // The earlier export goes back if the new one cannot take its place.
    await rename(fresh, target).catch(async (error) => {
      if (replacing) await rename(old, target);
      throw error;
    });
    if (replacing) await rm(old, { recursive: true, force: true });
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}
