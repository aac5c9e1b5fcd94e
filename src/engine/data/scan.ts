// Finds the classes and images of a dataset folder in either Keras layout, and says precisely what is wrong with it.
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatasetError } from './errors';
import { Walker, isImagePath, type Entry } from './walk';
import { byPath, type DatasetScan, type SplitName, type SplitSamples } from './types';

const SPLIT_FOLDERS = new Map<string, SplitName>([['train', 'train'], ['val', 'val'], ['validation', 'val'], ['test', 'test']]);

interface ClassFolder {
  split: SplitName;
  /** NFC-normalised folder name. */
  name: string;
  entry: Entry;
  images: string[];
}

async function openRoot(root: string): Promise<string> {
  let isDirectory: boolean;
  try {
    isDirectory = (await fs.stat(root)).isDirectory();
    if (isDirectory) await fs.readdir(root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DatasetError(root, 'folder not found', 'Check the path, or create the folder with one sub-folder per class');
    throw new DatasetError(root, `cannot read this folder (${code})`, 'Check that you have permission to read it');
  }
  if (!isDirectory) throw new DatasetError(root, 'this is a file, not a folder', 'Choose the folder that holds one sub-folder per class');
  return fs.realpath(root);
}

/** The split folders when every top-level folder is train/val/validation/test; undefined means class folders. */
function findSplits(root: string, top: Entry[]): Entry[] | undefined {
  const dirs = top.filter((entry) => entry.isDirectory);
  if (dirs.length === 0 || !dirs.every((dir) => SPLIT_FOLDERS.has(dir.name.toLowerCase()))) return undefined;
  const bySplit = new Map<SplitName, Entry>();
  for (const dir of dirs) {
    const split = SPLIT_FOLDERS.get(dir.name.toLowerCase())!;
    const other = bySplit.get(split);
    if (other) throw new DatasetError(dir.path, `"${other.path}" and "${dir.path}" are both ${split} folders`, 'Merge them into one folder');
    bySplit.set(split, dir);
  }
  if (!bySplit.has('train')) {
    throw new DatasetError(root, `has ${dirs.map((dir) => dir.name).join(' and ')} folders but no train folder`, `Add ${join(root, 'train')} with one sub-folder per class, e.g. ${join(root, 'train', 'cats', '1.jpg')}`);
  }
  return dirs;
}

/** Sub-folders of one split's folder; loose files there belong to no class. */
function classFoldersOf(walker: Walker, split: SplitName, entries: Entry[]): ClassFolder[] {
  reportLooseFiles(walker, entries);
  const folders = entries.filter((entry) => entry.isDirectory).map((entry) => ({ split, name: entry.name.normalize('NFC'), entry, images: [] }));
  const seen = new Map<string, ClassFolder>();
  for (const folder of folders) {
    const other = seen.get(folder.name.toLowerCase());
    if (other) {
      const why = other.name === folder.name ? 'are the same name in two Unicode forms (NFC and NFD)' : 'differ only in letter case';
      throw new DatasetError(folder.entry.path, `same class as "${other.entry.path}" (the names ${why})`, 'Rename or merge one of the two folders so each class has exactly one');
    }
    seen.set(folder.name.toLowerCase(), folder);
  }
  return folders;
}

function reportLooseFiles(walker: Walker, entries: Entry[]): void {
  for (const file of entries.filter((entry) => !entry.isDirectory)) {
    if (isImagePath(file.name)) walker.report(file.path, 'stray-file', 'image outside any class folder; skipped. Move it into the sub-folder of its class');
    else walker.report(file.path, 'unsupported-file', 'not an image and not in a class folder; skipped');
  }
}

/** Two class folders that are one real folder (via a symlink) would put the same images under two labels. */
function dropAliases(walker: Walker, folders: ClassFolder[]): ClassFolder[] {
  const owners = new Map<string, ClassFolder>();
  return folders.filter((folder) => {
    const owner = owners.get(folder.entry.realPath);
    if (owner) walker.report(folder.entry.path, 'duplicate-link', `same folder as ${owner.entry.path} (symlink); skipped so no image counts twice`);
    else owners.set(folder.entry.realPath, folder);
    return !owner;
  });
}

function noClassFolders(root: string, top: Entry[]): DatasetError {
  const example = `e.g. ${join(root, 'cats', '1.jpg')}`;
  if (top.some((entry) => isImagePath(entry.name))) {
    return new DatasetError(root, 'the images are directly in this folder, not in class folders', `Put them in one sub-folder per class, ${example}`);
  }
  return new DatasetError(root, 'no class folders found', `Put images in one sub-folder per class, ${example}`);
}

export async function scanDataset(root: string): Promise<DatasetScan> {
  const absRoot = resolve(root);
  const walker = new Walker(await openRoot(absRoot));
  const top = await walker.list(absRoot);
  const splits = findSplits(absRoot, top);
  let folders: ClassFolder[];
  if (splits) {
    reportLooseFiles(walker, top);
    const perSplit = await Promise.all(splits.map(async (dir) => classFoldersOf(walker, SPLIT_FOLDERS.get(dir.name.toLowerCase())!, await walker.list(dir.path))));
    folders = perSplit.flat();
  } else {
    folders = classFoldersOf(walker, 'train', top);
    if (folders.length === 0) throw noClassFolders(absRoot, top);
  }
  folders = dropAliases(walker, folders);
  walker.claim([walker.realRoot, ...(splits ?? []).map((dir) => dir.realPath), ...folders.map((folder) => folder.entry.realPath)]);
  // One folder at a time: which path of a doubly-linked folder counts must not depend on timing.
  for (const folder of folders) folder.images = await walker.collectImages(folder.entry);
  const trainDir = splits?.find((dir) => SPLIT_FOLDERS.get(dir.name.toLowerCase()) === 'train')?.path ?? absRoot;
  const classes = assignClasses(trainDir, walker, folders);
  const { samples, counts } = samplesAndCounts(classes, folders);
  warnSingleImages(walker, folders, counts);
  return { root: absRoot, layout: splits ? 'split-folders' : 'class-folders', classes, samples, counts, problems: walker.problems.sort(byPath) };
}

/** A class of one image trains, but a split always keeps one image of a class for training, so nothing validates it. */
function warnSingleImages(walker: Walker, folders: ClassFolder[], counts: DatasetScan['counts']): void {
  for (const folder of folders) {
    const count = counts[folder.name];
    if (folder.split !== 'train' || !count || count.train + count.val + count.test !== 1) continue;
    walker.report(folder.entry.path, 'single-image', `class "${folder.name}" has a single image: the split keeps it for training, so validation has no example of this class and its accuracy is not measured. Add more images of it (2 at least, 5 or more is better)`);
  }
}

/** Classes are the train folders holding images; everything else is reported and left out. */
function assignClasses(trainDir: string, walker: Walker, folders: ClassFolder[]): string[] {
  const classes = [...new Set(folders.filter((f) => f.split === 'train' && f.images.length > 0).map((f) => f.name))].sort();
  for (const folder of folders) {
    if (folder.images.length === 0) {
      walker.report(folder.entry.path, 'empty-class', folder.split === 'train' ? 'class folder without images; class left out. Add images or delete the folder' : `no images in this ${folder.split} folder`);
    } else if (!classes.includes(folder.name)) {
      walker.report(folder.entry.path, 'class-not-in-train', `no train folder with images for class "${folder.name}"; left out. Add ${join(trainDir, folder.name)} or rename this folder to match a train class`);
    }
  }
  if (classes.length < 2) {
    throw new DatasetError(trainDir, `found ${classes.length} class folder(s) with images${classes.length ? ` (${classes.join(', ')})` : ''}; a classifier needs at least 2`, `Add another sub-folder of images per class, e.g. ${join(trainDir, 'other-class', '1.jpg')}`);
  }
  return classes;
}

function samplesAndCounts(classes: string[], folders: ClassFolder[]): Pick<DatasetScan, 'samples' | 'counts'> {
  const samples: SplitSamples = { train: [], val: [], test: [] };
  const counts: DatasetScan['counts'] = Object.fromEntries(classes.map((name) => [name, { train: 0, val: 0, test: 0 }]));
  for (const folder of folders) {
    const label = classes.indexOf(folder.name);
    if (label < 0) continue;
    for (const path of folder.images) samples[folder.split].push({ path, label });
    counts[folder.name][folder.split] += folder.images.length;
  }
  for (const list of Object.values(samples)) list.sort(byPath);
  return { samples, counts };
}
