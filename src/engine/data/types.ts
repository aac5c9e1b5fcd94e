// Shapes shared by scanning, splitting and batching, and the one ordering that keeps their output deterministic.

export interface Sample {
  path: string;
  /** Index into DatasetScan.classes. */
  label: number;
}

/** Code-unit order on paths: independent of locale, so every machine lists samples identically. */
export function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

export type DatasetProblemKind =
  | 'unsupported-file'
  | 'stray-file'
  | 'stray-folder'
  | 'link-outside-root'
  | 'link-loop'
  | 'duplicate-link'
  | 'broken-link'
  | 'unreadable'
  | 'empty-class'
  | 'class-not-in-train'
  /** A warning, nothing skipped: the class trains, but no validation example of it is left. */
  | 'single-image';

/** Something skipped while scanning, or a warning: worth showing the user, but not a reason to refuse the dataset. */
export interface DatasetProblem {
  path: string;
  kind: DatasetProblemKind;
  message: string;
}

export type SplitName = 'train' | 'val' | 'test';

export type SplitSamples = Record<SplitName, Sample[]>;

export interface DatasetScan {
  root: string;
  layout: 'class-folders' | 'split-folders';
  /** Sorted, NFC-normalised; a sample's label indexes this list. */
  classes: string[];
  /** class-folders layout: everything is in train, val/test are empty. */
  samples: SplitSamples;
  counts: Record<string, Record<SplitName, number>>;
  problems: DatasetProblem[];
}
