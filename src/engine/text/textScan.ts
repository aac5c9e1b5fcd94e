// The scan report of a text dataset, in the shape the host's dataset/scan reply already has (every text counted
// under train, as for an image class-folder layout), plus the column choice and token lengths.
import { loadTextDataset, measureTokens, type TokenStats } from './textDataset';
import type { ColumnChoice, TextProblem, TextSourceSpec } from './textSources';
import type { TextTokenizer } from './tokenizer';

export interface TextScanResult {
  root: string;
  /** "csv", "tsv", "jsonl" or "folder". */
  layout: string;
  classes: string[];
  counts: Record<string, { train: number; val: number; test: number }>;
  problems: TextProblem[];
  columns?: ColumnChoice;
  /** With a tokenizer: token lengths, and over-long texts among the problems. */
  tokens?: TokenStats;
}

export async function scanTextDataset(spec: TextSourceSpec, measure?: { tokenizer: TextTokenizer; maxLength: number }): Promise<TextScanResult> {
  const dataset = await loadTextDataset(spec);
  const counts = Object.fromEntries(dataset.classes.map((name) => [name, { train: 0, val: 0, test: 0 }]));
  for (const sample of dataset.samples) counts[dataset.classes[sample.label]].train += 1;
  const measured = measure && measureTokens(dataset.samples, dataset.texts, measure.tokenizer, measure.maxLength);
  return {
    root: dataset.source, layout: dataset.format, classes: dataset.classes, counts, columns: dataset.columns,
    problems: [...dataset.problems, ...(measured?.problems ?? [])], tokens: measured?.stats,
  };
}
