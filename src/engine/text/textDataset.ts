// Turns read records into a dataset: classes, one sample per distinct text, and the problems a user should see
// (empty texts, duplicates — which would leak between train and validation — and texts labelled two ways).
import { DatasetError } from '../data/errors';
import { byPath, type Sample } from '../data/types';
import { readTextSource, type ColumnChoice, type TextFormat, type TextProblem, type TextSourceSpec } from './textSources';
import type { TextTokenizer } from './tokenizer';

export interface TextDataset {
  source: string;
  format: TextFormat;
  columns?: ColumnChoice;
  /** Sorted label names; a sample's label indexes this list. */
  classes: string[];
  samples: Sample[];
  /** Text of each sample, by sample path. */
  texts: Map<string, string>;
  problems: TextProblem[];
}

/** Reads a source; with `classes` (a trained model's, or the training file's) every label must be one of them. */
export async function loadTextDataset(spec: TextSourceSpec, classes?: readonly string[]): Promise<TextDataset> {
  const read = await readTextSource(spec);
  const problems = [...read.problems];
  const byText = new Map<string, { path: string; label: string; text: string; conflict: boolean }>();
  for (const record of read.records) {
    const key = record.text.trim();
    if (key === '') {
      problems.push({ path: record.path, kind: 'empty-text', message: 'empty text; skipped' });
      continue;
    }
    const first = byText.get(key);
    if (!first) {
      byText.set(key, { ...record, conflict: false });
    } else if (first.label === record.label) {
      problems.push({ path: record.path, kind: 'duplicate-text', message: `same text as ${first.path}; skipped so it cannot land in both train and validation` });
    } else {
      first.conflict = true;
      problems.push({ path: record.path, kind: 'conflicting-labels', message: `same text as ${first.path} but labelled "${record.label}", not "${first.label}"; both skipped` });
    }
  }
  const kept = [...byText.values()].filter((r) => !r.conflict);
  const names = classes ? [...classes] : [...new Set(kept.map((r) => r.label))].sort();
  if (!classes && names.length < 2) {
    throw new DatasetError(spec.path, `found ${names.length} label(s)${names.length ? ` (${names.join(', ')})` : ''}; a classifier needs at least 2`, 'Check the label column, or add examples of another class');
  }
  const unknown = kept.find((r) => !names.includes(r.label));
  if (unknown) throw new DatasetError(unknown.path, `label "${unknown.label}" is not one of the model's classes (${names.join(', ')})`, 'Use the same label names as the training data');
  return {
    source: spec.path, format: read.format, columns: read.columns, classes: names, problems,
    samples: kept.map((r) => ({ path: r.path, label: names.indexOf(r.label) })).sort(byPath),
    texts: new Map(kept.map((r) => [r.path, r.text])),
  };
}

export interface TokenStats {
  maxLength: number;
  mean: number;
  p95: number;
  longest: number;
  truncated: number;
}

/** Token lengths with [CLS]/[SEP]; texts that do not fit in maxLength are reported (they are truncated, not skipped). */
export function measureTokens(samples: readonly Sample[], texts: Map<string, string>, tokenizer: TextTokenizer, maxLength: number): { stats: TokenStats; problems: TextProblem[] } {
  const lengths: number[] = [];
  const problems: TextProblem[] = [];
  for (const sample of samples) {
    const pieces = tokenizer.tokenize(texts.get(sample.path)!).length + 2;
    lengths.push(pieces);
    if (pieces > maxLength) problems.push({ path: sample.path, kind: 'over-long', message: `${pieces} tokens; only the first ${maxLength} are used (raise data.maxLength to keep more)` });
  }
  const sorted = [...lengths].sort((a, b) => a - b);
  const stats = {
    maxLength,
    mean: lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length),
    p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0,
    longest: sorted.at(-1) ?? 0,
    truncated: problems.length,
  };
  return { stats, problems };
}
