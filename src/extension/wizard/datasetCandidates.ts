// Folders in the workspace that look like image datasets (one sub-folder per class, or train/val/test of those),
// found from a list of image paths. No vscode import: unit-tested.
import { basename, dirname } from 'node:path';

export const IMAGE_GLOB = '**/*.{png,jpg,jpeg,webp,gif,bmp,tif,tiff,avif,PNG,JPG,JPEG}';

const SPLIT_FOLDERS = new Set(['train', 'training', 'val', 'valid', 'validation', 'test', 'testing']);

export interface DatasetCandidate {
  root: string;
  classes: number;
  images: number;
}

export function datasetCandidates(imagePaths: readonly string[]): DatasetCandidate[] {
  const byRoot = new Map<string, { classes: Set<string>; images: number }>();
  for (const path of imagePaths) {
    const classDir = dirname(path);
    const parent = dirname(classDir);
    if (parent === classDir) continue;
    const root = SPLIT_FOLDERS.has(basename(parent).toLowerCase()) ? dirname(parent) : parent;
    const entry = byRoot.get(root) ?? { classes: new Set<string>(), images: 0 };
    entry.classes.add(basename(classDir));
    entry.images += 1;
    byRoot.set(root, entry);
  }
  return [...byRoot]
    .filter(([, entry]) => entry.classes.size >= 2)
    .map(([root, entry]) => ({ root, classes: entry.classes.size, images: entry.images }))
    .sort((a, b) => b.images - a.images || a.root.localeCompare(b.root));
}
