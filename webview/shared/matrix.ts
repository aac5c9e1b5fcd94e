// Confusion-matrix arithmetic and layout: counts or row shares, sizes that stay readable from 2 to 2,000 classes.
import type { SampleView } from '../../src/protocol/webview';

export type MatrixMode = 'counts' | 'normalised';

export interface MatrixCell {
  count: number;
  /** Share of the true class's images (the row) that got this prediction. */
  share: number;
  /** 0–1, how strongly to colour the cell: square root, so a few mistakes are still visible beside large counts. */
  intensity: number;
  correct: boolean;
  text: string;
}

/** Rows scaled to sum to 1; a class with no images keeps a row of zeros. */
export function rowNormalise(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}

export function matrixCells(matrix: readonly (readonly number[])[], mode: MatrixMode): MatrixCell[][] {
  const shares = rowNormalise(matrix);
  const max = Math.max(1, ...matrix.flat());
  return matrix.map((row, i) => row.map((count, j) => {
    const share = shares[i][j];
    return {
      count, share, correct: i === j,
      intensity: Math.sqrt(mode === 'counts' ? count / max : share),
      text: mode === 'counts' ? String(count) : count === 0 ? '0' : `${Math.round(share * 100)}%`,
    };
  }));
}

export interface MatrixLayout {
  /** Cell edge in CSS pixels. */
  cell: number;
  /** Print numbers in cells (else colour only; the exact value is in the cell's tooltip and accessible name). */
  showValues: boolean;
  /** Column headers: full class names, or 1-based indices when there are too many to read. */
  columnLabels: 'names' | 'indices';
}

export function matrixLayout(classes: number): MatrixLayout {
  if (classes <= 12) return { cell: 44, showValues: true, columnLabels: 'names' };
  if (classes <= 25) return { cell: 32, showValues: true, columnLabels: 'names' };
  if (classes <= 60) return { cell: 18, showValues: false, columnLabels: 'names' };
  return { cell: 12, showValues: false, columnLabels: 'indices' };
}

/**
 * Up to `limit` classes that take part in the most mistakes (as truth or as prediction), in their original order:
 * the readable core of a large matrix.
 */
export function mostConfusedClasses(matrix: readonly (readonly number[])[], limit: number): number[] {
  const errors = matrix.map(() => 0);
  matrix.forEach((row, i) => row.forEach((count, j) => {
    if (i === j) return;
    errors[i] += count;
    errors[j] += count;
  }));
  return errors.map((e, i) => ({ e, i })).sort((a, b) => b.e - a.e || a.i - b.i).slice(0, limit).map((c) => c.i).sort((a, b) => a - b);
}

/** Samples of one cell (true class `label`, predicted `predicted`), most confident first. */
export const cellSamples = (samples: readonly SampleView[], label: number, predicted: number) =>
  samples.filter((s) => s.label === label && s.predicted === predicted).sort((a, b) => b.confidence - a.confidence);

/** Wrong predictions the model was surest of. */
export const confidentMistakes = (samples: readonly SampleView[], limit: number) =>
  samples.filter((s) => s.label !== s.predicted).sort((a, b) => b.confidence - a.confidence).slice(0, limit);
