// An export into a folder that may hold an earlier export: written beside it, then swapped in, so a replaced
// export keeps no stale files and a failed one leaves the earlier export as it was. Used by every folder format.
import { cp, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isKerasModelFile } from '../models/keras/modelFile';

/** What a folder format needs to say: how to recognise its own earlier export, and how to fill a fresh folder. */
export interface FolderExport {
  /** e.g. "a tfjs export", for the refusal. */
  what: string;
  /** The file an earlier export of this format always has, e.g. model.json. */
  marker: string;
  /** True when `folder` (holding `marker`) is an earlier export of ours; defaults to the marker's presence. */
  isEarlierExport?(folder: string): Promise<boolean>;
  write(fresh: string): Promise<void>;
}

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

/** Why `target` must not be replaced, or undefined when it is absent, empty or an earlier export of this format. */
async function refusal(target: string, format: FolderExport): Promise<string | undefined> {
  const found = await ifExists(stat(target), undefined);
  if (!found) return undefined;
  if (!found.isDirectory()) return 'is a file, not a folder';
  const names = await readdir(target);
  if (names.length === 0) return undefined;
  if (names.includes(format.marker) && (await (format.isEarlierExport?.(target) ?? true))) return undefined;
  return `holds other things and no ${format.marker} of ours (it is not an earlier ${format.what}), so it was left as it is`;
}

/** Writes a folder export to `target`, replacing an earlier export of the same format there; `runDir` must stay outside it. */
export async function replaceFolder(runDir: string, target: string, format: FolderExport, protectedDir = runDir): Promise<void> {
  const runName = `${path.basename(runDir)}-model`;
  if (within(protectedDir, target) || within(target, protectedDir)) {
    throw new Error(`${target}: --out must be outside the run's model folder ${protectedDir} and not contain it — give a folder elsewhere, e.g. ${path.join(path.dirname(runDir), runName)}`);
  }
  const reason = await refusal(target, format);
  if (reason) throw new Error(`${target} ${reason}. Give --out a new folder, e.g. ${path.join(target, runName)}`);
  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true });
  const fresh = await mkdtemp(path.join(parent, `.${path.basename(target)}.new-`));
  const old = `${fresh}.old`;
  try {
    await format.write(fresh);
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

/** Copies the run's tfjs model folder `modelDir` (without Keras copies) to `target`, replacing an earlier export there. */
export function writeTfjsFolder(modelDir: string, target: string): Promise<void> {
  return replaceFolder(path.dirname(modelDir), target, {
    what: 'tfjs export', marker: 'model.json',
    // Keras copies exported beside the tfjs files (the default place) are not part of the tfjs model.
    write: (fresh) => cp(modelDir, fresh, { recursive: true, filter: (source) => !isKerasModelFile(source) }),
  }, modelDir);
}
