// Datasets in the workspace: folders of images (one sub-folder per class, or train/val/test of those), folders of
// .txt class folders, and CSV/TSV/JSONL files; and which kind a chosen path is. No vscode import: unit-tested.
import { promises as fs } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { IMAGE_EXTENSIONS, isImagePath } from '../../shared/imageFormats';

export type DatasetKind = 'image' | 'text';

const TEXT_FILE_EXTENSIONS = ['csv', 'tsv', 'tab', 'jsonl', 'ndjson'];

export const IMAGE_GLOB = `**/*.{${IMAGE_EXTENSIONS.join(',')},PNG,JPG,JPEG}`;
export const TEXT_GLOB = `**/*.{${TEXT_FILE_EXTENSIONS.join(',')},txt}`;
/** Folders never searched for datasets or checkpoints: dependencies, history, runs and caches. */
export const WORKSPACE_EXCLUDE = '**/{node_modules,.git,runs,.cache}/**';
/** For the Browse dialog. */
export const TEXT_FILE_FILTER = { 'Labelled texts (CSV, TSV, JSONL)': TEXT_FILE_EXTENSIONS };

const SPLIT_FOLDERS = new Set(['train', 'training', 'val', 'valid', 'validation', 'test', 'testing']);

export interface DatasetCandidate {
  root: string;
  kind: DatasetKind;
  /** Class folders found; undefined for a file, whose classes only a scan can tell. */
  classes?: number;
  /** Example files found (a file dataset counts as one). */
  files: number;
}

const extensionOf = (path: string) => extname(path).slice(1).toLowerCase();
export const isTextFile = (path: string) => TEXT_FILE_EXTENSIONS.includes(extensionOf(path));

function classFolderCandidates(paths: readonly string[], kind: DatasetKind): DatasetCandidate[] {
  const byRoot = new Map<string, { classes: Set<string>; files: number }>();
  for (const path of paths) {
    const classDir = dirname(path);
    const parent = dirname(classDir);
    if (parent === classDir) continue;
    const root = SPLIT_FOLDERS.has(basename(parent).toLowerCase()) ? dirname(parent) : parent;
    const entry = byRoot.get(root) ?? { classes: new Set<string>(), files: 0 };
    entry.classes.add(basename(classDir));
    entry.files += 1;
    byRoot.set(root, entry);
  }
  return [...byRoot].filter(([, entry]) => entry.classes.size >= 2).map(([root, entry]) => ({ root, kind, classes: entry.classes.size, files: entry.files }));
}

/** Image class folders, .txt class folders and text files among `paths`; folders with most examples first, files last. */
export function datasetCandidates(imagePaths: readonly string[], textPaths: readonly string[] = []): DatasetCandidate[] {
  const folders = [...classFolderCandidates(imagePaths, 'image'), ...classFolderCandidates(textPaths.filter((p) => extensionOf(p) === 'txt'), 'text')];
  const files = textPaths.filter(isTextFile).map((root): DatasetCandidate => ({ root, kind: 'text', files: 1 }));
  return [...folders.sort((a, b) => b.files - a.files || a.root.localeCompare(b.root)), ...files.sort((a, b) => a.root.localeCompare(b.root))];
}

/** Files below `folder` down to `depth` levels (class folders, or split folders holding class folders), at most `limit`. */
async function filesBelow(folder: string, depth: number, limit: number): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string, level: number): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (found.length >= limit || entry.name.startsWith('.')) continue;
      if (entry.isDirectory() && level < depth) await visit(join(dir, entry.name), level + 1);
      else if (entry.isFile() && level > 0) found.push(entry.name);
    }
  };
  await visit(folder, 0);
  return found;
}

/** A CSV/TSV/JSONL file is text; a folder is text when its class folders hold more .txt files than images. */
export async function datasetKind(path: string): Promise<DatasetKind> {
  if (!(await fs.stat(path)).isDirectory()) return 'text';
  const names = await filesBelow(path, 3, 2000);
  const texts = names.filter((n) => extensionOf(n) === 'txt').length;
  const images = names.filter(isImagePath).length;
  return texts > images ? 'text' : 'image';
}
