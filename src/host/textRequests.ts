// The host's text-only answers: inspecting a BERT base, scanning a text dataset.
import type { InspectModelParams, InspectModelResult, ScanDatasetParams, ScanDatasetResult } from '../protocol/host';
import { trainingBalance } from '../engine/training/classWeights';
import { defaultCacheDir } from '../engine/training/featureStore';
import { inspectTextBase, scanTextDataset } from '../engine/text';

export function inspectText(params: InspectModelParams): Promise<InspectModelResult> {
  return inspectTextBase(params.model, { cacheDir: params.cacheDir ?? defaultCacheDir(), revision: params.revision, maxLength: params.inputSize, pooling: params.pooling });
}

export async function scanText(params: ScanDatasetParams): Promise<ScanDatasetResult> {
  const scan = await scanTextDataset({ path: params.root, textColumn: params.textColumn, labelColumn: params.labelColumn });
  const c = scan.columns;
  return { ...scan, classBalance: trainingBalance(scan.classes, scan.counts), columns: c && { text: c.text, label: c.label, how: c.how, choices: c.choices, textColumn: c.textColumn, labelColumn: c.labelColumn, examples: c.examples } };
}
