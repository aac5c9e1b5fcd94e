// The train/val/test lists one text run uses: read, de-duplicated, split with the image path's stratified split.
import { DatasetError } from '../data/errors';
import { stratifiedSplit } from '../data/split';
import type { Sample } from '../data/types';
import { loadTextDataset, type TextDataset } from './textDataset';
import type { LoadedTextExperiment } from './textExperiment';
import type { ColumnChoice, TextFormat, TextProblem } from './textSources';

export interface TextPlan {
  classes: string[];
  train: Sample[];
  val: Sample[];
  test: Sample[];
  /** Text of every sample in any split, by sample path. */
  texts: Map<string, string>;
  problems: TextProblem[];
  format: TextFormat;
  columns?: ColumnChoice;
}

/** The problems that kept a text out of the run (an over-long text is cut, not skipped), as skipped.json lists them. */
export function skippedTexts(problems: readonly TextProblem[]): { path: string; reason: string }[] {
  return problems.filter((p) => p.kind !== 'over-long').map((p) => ({ path: p.path, reason: p.message }));
}

/** Drops held-out samples whose text is also a training text: they would measure memory, not generalisation. */
function withoutLeaks(held: TextDataset, trainTexts: Set<string>, problems: TextProblem[]): Sample[] {
  return held.samples.filter((sample) => {
    const leak = trainTexts.has(held.texts.get(sample.path)!.trim());
    if (leak) problems.push({ path: sample.path, kind: 'duplicate-text', message: 'also in the training data; left out of evaluation' });
    return !leak;
  });
}

export async function planTextData(loaded: LoadedTextExperiment): Promise<TextPlan> {
  const { data, seed } = loaded.experiment;
  const pick = { format: data.format, textColumn: data.textColumn, labelColumn: data.labelColumn };
  const trainPath = loaded.sources.train ?? loaded.sources.root!;
  const train = await loadTextDataset({ path: trainPath, ...pick });
  const texts = new Map(train.texts);
  const problems = [...train.problems];
  const trainTexts = new Set([...train.texts.values()].map((t) => t.trim()));
  const held: Partial<Record<'val' | 'test', Sample[]>> = {};
  for (const split of ['val', 'test'] as const) {
    const path = loaded.sources[split];
    if (!path) continue;
    const dataset = await loadTextDataset({ path, ...pick }, train.classes);
    problems.push(...dataset.problems);
    dataset.texts.forEach((text, key) => texts.set(key, text));
    held[split] = withoutLeaks(dataset, trainTexts, problems);
  }
  const split = stratifiedSplit(train.samples, { val: held.val ? 0 : data.split.val, test: held.test ? 0 : data.split.test }, seed);
  const plan = { classes: train.classes, train: split.train, val: held.val ?? split.val, test: held.test ?? split.test, texts, problems, format: train.format, columns: train.columns };
  if (plan.val.length === 0) throw new DatasetError(trainPath, 'no validation texts', 'Set data.val to a file, or data.split.val above 0 (e.g. 0.2)');
  return plan;
}
