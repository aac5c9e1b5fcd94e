// Read-only host requests: what a model's layers are, what a dataset folder holds.
import type { InspectModelParams, InspectModelResult, ScanDatasetResult, ThumbnailsParams, ThumbnailsResult } from '../protocol/host';
import { scanDataset, thumbnailDataUri } from '../engine/data';
import { describeLayers, summarizeParams } from '../engine/models/layerTree';
import { probeOrder } from '../engine/models/detectPreprocessing';
import { loadBaseModel } from '../engine/models/load';
import { trainingBalance } from '../engine/training/classWeights';
import { defaultCacheDir } from '../engine/training/featureStore';

export async function inspectModel(params: InspectModelParams): Promise<InspectModelResult> {
  const { model, info } = await loadBaseModel(params.model, {
    inputSize: params.inputSize, cutLayer: params.featureLayer, cacheDir: params.cacheDir ?? defaultCacheDir(),
    // Inspection never downloads: an uncached base shows its layers with random weights, and says so.
    includeTop: params.includeTop, download: false, probeImages: params.probeData ? probeOrder((await scanDataset(params.probeData)).samples.train, 42) : undefined,
  });
  try {
    const layers = describeLayers(model);
    const summary = summarizeParams(layers, new Set(layers.filter((l) => l.trainable).map((l) => l.name)));
    return {
      id: info.id, displayName: info.displayName, source: info.source, origin: info.origin, inputSize: info.inputSize,
      preprocessing: info.preprocessing, preprocessingChoice: info.preprocessingChoice, featureLayer: info.cutLayer, weights: info.weights, params: summary.total, trainableParams: summary.trainable, layers,
    };
  } finally {
    model.dispose();
  }
}

export async function scanForClient(root: string): Promise<ScanDatasetResult> {
  const scan = await scanDataset(root);
  return { root: scan.root, layout: scan.layout, classes: scan.classes, counts: scan.counts, problems: scan.problems, classBalance: trainingBalance(scan.classes, scan.counts) };
}

const MAX_THUMBNAILS = 5_000;
const MAX_THUMBNAIL_SIDE = 512;

/** One at a time: a report asks for a few hundred small pictures, and a training run may share this process. */
export async function thumbnails(params: ThumbnailsParams): Promise<ThumbnailsResult> {
  const { paths, maxSide } = params;
  if (!Array.isArray(paths) || paths.length > MAX_THUMBNAILS || !paths.every((p) => typeof p === 'string')) throw new Error(`thumbnails: up to ${MAX_THUMBNAILS} file paths`);
  if (!Number.isInteger(maxSide) || maxSide < 1 || maxSide > MAX_THUMBNAIL_SIDE) throw new Error(`thumbnails: maxSide must be 1–${MAX_THUMBNAIL_SIDE} pixels`);
  const result: (string | null)[] = [];
  for (const path of paths) result.push((await thumbnailDataUri(path, maxSide)) ?? null);
  return { thumbnails: result };
}
