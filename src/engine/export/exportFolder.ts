// An export into a folder that may hold an earlier export of ours (known by its marker file, never by a model file
// name): written beside it, then swapped in, so a replaced export keeps no stale files and a failed one leaves the
// earlier export as it was. Anything the marker does not list is someone else's, and the export is refused. Used by
// every folder format.
import { randomUUID } from 'node:crypto';
import { chmod, cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXPORT_MARKER } from '../../shared/runLayout';
import { isKerasModelFile } from '../models/keras/modelFile';

/** What a folder format needs to say: its name for messages, and how to fill a fresh folder. */
export interface FolderExport {
  /** e.g. "tfjs export", for messages. */
  what: string;
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

/** Every entry under `folder`, relative, folders ending in '/'. */
async function entries(folder: string): Promise<string[]> {
  const found = await readdir(folder, { recursive: true, withFileTypes: true });
  return found.map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)) + (entry.isDirectory() ? '/' : '')).sort();
}

/** What our marker in `folder` says we wrote; none when there is no marker or it is not ours. */
async function ourFiles(folder: string): Promise<Set<string>> {
  const text = await ifExists(readFile(path.join(folder, EXPORT_MARKER), 'utf8'), '');
  try {
    const files = (JSON.parse(text) as { files?: unknown }).files;
    return new Set(Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : []);
  } catch {
    return new Set();
  }
}

/** At most `shown` names, then how many more. */
function listed(names: string[], shown = 10): string {
  return names.length <= shown ? names.join(', ') : `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}

/** Why `target` must not be replaced, or undefined when it is absent, empty or holds only what an earlier export of ours wrote. */
async function refusal(target: string): Promise<string | undefined> {
  const found = await ifExists(stat(target), undefined);
  if (!found) return undefined;
  if (!found.isDirectory()) return 'is a file, not a folder';
  const ours = await ourFiles(target);
  const unlisted = (await entries(target)).filter((name) => name !== EXPORT_MARKER && !ours.has(name));
  // a foreign folder is named once, not with everything inside it
  const foreign = unlisted.filter((name) => !unlisted.some((other) => other.endsWith('/') && other !== name && name.startsWith(other)));
  if (foreign.length === 0) return undefined;
  return `holds files no Transfer Lab export wrote (${listed(foreign)}), so it was left as it is`;
}

/** Writes a folder export to `target`, replacing an earlier export of ours there; `protectedDir` must stay outside it. */
export async function replaceFolder(runDir: string, target: string, format: FolderExport, protectedDir = runDir): Promise<void> {
  const runName = `${path.basename(runDir)}-model`;
  if (within(protectedDir, target) || within(target, protectedDir)) {
    throw new Error(`${target}: --out must be outside the run's model folder ${protectedDir} and not contain it — give a folder elsewhere, e.g. ${path.join(path.dirname(runDir), runName)}`);
  }
  const reason = await refusal(target);
  if (reason) throw new Error(`${target} ${reason}. Give --out a new or empty folder, e.g. ${path.join(target, runName)}`);
  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true });
  const kept = await ifExists(stat(target), undefined);
  // mkdir, not mkdtemp: a new export gets the mode any new folder gets (umask), not mkdtemp's 0700
  const fresh = path.join(parent, `.${path.basename(target)}.new-${randomUUID()}`);
  const old = `${fresh}.old`;
  await mkdir(fresh);
  try {
    await format.write(fresh);
    await writeFile(path.join(fresh, EXPORT_MARKER), JSON.stringify({ exportedBy: 'transfer-lab', format: format.what, run: runDir, files: await entries(fresh) }, null, 2));
    if (kept) await chmod(fresh, kept.mode & 0o7777);
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
    what: 'tfjs export',
    // Keras copies exported beside the tfjs files (the default place) are not part of the tfjs model.
    write: (fresh) => cp(modelDir, fresh, { recursive: true, filter: (source) => !isKerasModelFile(source) }),
  }, modelDir);
}
