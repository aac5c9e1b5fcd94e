// The host's answers for text runs: the same requests as images, served by the BERT engine.
import { join } from 'node:path';
import type { InspectModelParams, InspectModelResult, Prediction, ScanDatasetParams, ScanDatasetResult, TrainParams } from '../protocol/host';
import { trainingBalance } from '../engine/training/classWeights';
import { defaultCacheDir } from '../engine/training/featureStore';
import { EXPERIMENT_FILE } from '../engine/runs';
import { inspectTextBase, isTextExperimentFile, isTextRun, predictTextRun, scanTextDataset } from '../engine/text';

export { isTextRun };

/** A run is text when its experiment (or, resuming, its snapshot) says `data.kind: "text"`. */
export function isTextTraining(params: TrainParams): Promise<boolean> {
  return isTextExperimentFile(params.resumeRunDir ? join(params.resumeRunDir, EXPERIMENT_FILE) : params.experimentFile);
}

export async function predictTexts(runDir: string, texts: string[], top?: number): Promise<Prediction[]> {
  const rows = await predictTextRun(runDir, texts, { cacheDir: defaultCacheDir() }, top);
  return rows.map((row, i) => ({ path: `text:${i + 1}`, text: row.text, top: row.top, truncated: row.truncated }));
}

export function inspectText(params: InspectModelParams): Promise<InspectModelResult> {
  return inspectTextBase(params.model, { cacheDir: params.cacheDir ?? defaultCacheDir(), revision: params.revision, maxLength: params.inputSize, pooling: params.pooling });
}

export async function scanText(params: ScanDatasetParams): Promise<ScanDatasetResult> {
  const scan = await scanTextDataset({ path: params.root, textColumn: params.textColumn, labelColumn: params.labelColumn });
  const c = scan.columns;
  return { ...scan, classBalance: trainingBalance(scan.classes, scan.counts), columns: c && { text: c.text, label: c.label, how: c.how, choices: c.choices, textColumn: c.textColumn, labelColumn: c.labelColumn, examples: c.examples } };
}
