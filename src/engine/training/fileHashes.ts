// Content hashes of dataset files, remembered per folder by size, mtime, ctime and inode (as git's index does), so a
// rerun reads no image it has hashed before; any change to a file's stat makes it hashed again.
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../runs';
import { fileSha256, sha256 } from './featureStore';

type Entry = [size: number, mtimeMs: number, ctimeMs: number, ino: number, hash: string];

interface FolderIndex {
  entries: Map<string, Entry>;
  changed: boolean;
}

/** The hash becomes a feature-store file name: anything but a sha256 from a damaged or foreign index is a miss. */
function isEntry(pair: [string, unknown]): pair is [string, Entry] {
  const entry = pair[1];
  return Array.isArray(entry) && entry.length === 5 && entry.slice(0, 4).every((n) => typeof n === 'number')
    && typeof entry[4] === 'string' && /^[0-9a-f]{64}$/.test(entry[4]);
}

export class FileHashes {
  private readonly folders = new Map<string, Promise<FolderIndex>>();

  constructor(private readonly cacheDir: string) {}

  private indexFile(folder: string): string {
    return join(this.cacheDir, 'file-hashes', `${sha256(folder).slice(0, 32)}.json`);
  }

  private folder(folder: string): Promise<FolderIndex> {
    let index = this.folders.get(folder);
    if (!index) {
      index = readFile(this.indexFile(folder), 'utf8')
        .then((text) => ({ entries: new Map(Object.entries(JSON.parse(text).files as Record<string, unknown>).filter(isEntry)), changed: false }))
        .catch(() => ({ entries: new Map<string, Entry>(), changed: false }));
      this.folders.set(folder, index);
    }
    return index;
  }

  /** The file's sha256; throws when it cannot be read. */
  async hash(path: string): Promise<string> {
    const [index, info] = await Promise.all([this.folder(dirname(path)), stat(path)]);
    const key: Entry = [info.size, info.mtimeMs, info.ctimeMs, info.ino, ''];
    const known = index.entries.get(basename(path));
    if (known && key.every((value, i) => i === 4 || value === known[i])) return known[4];
    key[4] = await fileSha256(path);
    index.entries.set(basename(path), key);
    index.changed = true;
    return key[4];
  }

  /** Writes the folders whose hashes changed, dropping files that no longer exist; a failed write only costs a rehash. */
  async save(): Promise<void> {
    await mkdir(join(this.cacheDir, 'file-hashes'), { recursive: true });
    await Promise.all([...this.folders].map(async ([folder, pending]) => {
      const index = await pending;
      if (!index.changed) return;
      const present = new Set(await readdir(folder).catch(() => []));
      const files = Object.fromEntries([...index.entries].filter(([name]) => present.has(name)));
      await writeFileAtomic(this.indexFile(folder), JSON.stringify({ v: 1, folder, files })).catch(() => undefined);
      index.changed = false;
    }));
  }
}
