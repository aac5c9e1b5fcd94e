// Folder listing for the scanner: symlinks are followed only inside the dataset root, and each real folder is
// read once, so a link can neither leak outside files into the dataset nor make the walk loop forever.
import { promises as fs } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { IMAGE_EXTENSIONS, isImagePath } from '../../shared/imageFormats';
import type { DatasetProblem, DatasetProblemKind } from './types';

export { isImagePath };

export interface Entry {
  name: string;
  /** The path as reached from the root (what samples report). */
  path: string;
  /** Symlinks resolved; identifies the folder for loop detection. */
  realPath: string;
  isDirectory: boolean;
}

function isInside(realRoot: string, realPath: string): boolean {
  const rel = relative(realRoot, realPath);
  return rel === '' || (rel.split(sep)[0] !== '..' && !isAbsolute(rel));
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

export class Walker {
  readonly problems: DatasetProblem[] = [];
  private readonly visited = new Set<string>();

  constructor(readonly realRoot: string) {}

  /** Non-hidden entries of a folder sorted by name; unreadable entries and links leaving the root are reported. */
  async list(dir: string): Promise<Entry[]> {
    let names: string[];
    try {
      names = (await fs.readdir(dir)).filter((name) => !name.startsWith('.')).sort();
    } catch (error) {
      this.report(dir, 'unreadable', `cannot read this folder (${errorCode(error)}); skipped. Check its permissions`);
      return [];
    }
    const entries = await Promise.all(names.map((name) => this.resolve(join(dir, name), name)));
    return entries.filter((entry): entry is Entry => entry !== undefined);
  }

  /** Marks folders as owned (e.g. every class folder) so a link reaching them from elsewhere is not read twice. */
  claim(realPaths: string[]): void {
    for (const realPath of realPaths) this.visited.add(realPath);
  }

  /** Image paths under a claimed folder, recursively, sorted. */
  async collectImages(folder: Entry): Promise<string[]> {
    const images: string[] = [];
    await this.collectInto(folder, [folder.realPath], images);
    return images.sort();
  }

  private async collectInto(folder: Entry, ancestors: string[], images: string[]): Promise<void> {
    for (const entry of await this.list(folder.path)) {
      if (!entry.isDirectory) {
        if (isImagePath(entry.name)) images.push(entry.path);
        else this.report(entry.path, 'unsupported-file', `not an image file (${IMAGE_EXTENSIONS.map((e) => `.${e}`).join(' ')}); skipped`);
      } else if (ancestors.includes(entry.realPath)) {
        this.report(entry.path, 'link-loop', `symlink back to its own parent folder ${entry.realPath}; not followed`);
      } else if (this.visited.has(entry.realPath)) {
        this.report(entry.path, 'duplicate-link', `symlink to ${entry.realPath}, which is already scanned; skipped so no image counts twice`);
      } else {
        this.visited.add(entry.realPath);
        await this.collectInto(entry, [...ancestors, entry.realPath], images);
      }
    }
  }

  private async resolve(path: string, name: string): Promise<Entry | undefined> {
    try {
      const realPath = await fs.realpath(path);
      if (!isInside(this.realRoot, realPath)) {
        this.report(path, 'link-outside-root', `symlink to ${realPath}, outside the dataset folder; not followed. Copy the files in instead`);
        return undefined;
      }
      return { name, path, realPath, isDirectory: (await fs.stat(realPath)).isDirectory() };
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ELOOP') this.report(path, 'link-loop', 'symlink that points back to itself; not followed');
      else if (code === 'ENOENT') this.report(path, 'broken-link', 'symlink whose target does not exist; skipped');
      else this.report(path, 'unreadable', `cannot read (${code}); skipped. Check its permissions`);
      return undefined;
    }
  }

  report(path: string, kind: DatasetProblemKind, message: string): void {
    this.problems.push({ path, kind, message });
  }
}
