// Stratified K-fold on the training split (scikit-learn's StratifiedKFold with shuffling): each class is spread over
// the folds as evenly as it can be, so a small set's ranking is not the noise of one split.
import { createRng, deriveSeed, shuffled } from '../random';

/** Folds used below this many training examples; above it one stratified 20 % holdout is enough. */
export const KFOLD_BELOW = 2000;
export const DEFAULT_FOLDS = 3;

/** Fold index (0..k-1) of each row; k = 1 means one holdout of ~1/5 (index 0 is held out). */
export function stratifiedFolds(labels: readonly number[], k: number, seed: number): number[] {
  const folds = new Array<number>(labels.length);
  const parts = k === 1 ? 5 : k;
  const byClass = new Map<number, number[]>();
  labels.forEach((label, row) => byClass.set(label, [...(byClass.get(label) ?? []), row]));
  let offset = 0;
  for (const [label, rows] of [...byClass].sort((a, b) => a[0] - b[0])) {
    // each class starts where the previous one ended, so folds stay equal in size when classes are small
    shuffled(rows, createRng(deriveSeed(seed, `fold:${label}`))).forEach((row, i) => (folds[row] = (offset + i) % parts));
    offset = (offset + rows.length) % parts;
  }
  return k === 1 ? folds.map((f) => (f === 0 ? 0 : -1)) : folds;
}
