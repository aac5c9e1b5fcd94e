// A keras.applications catalog entry as tfjs Layers artifacts: our architecture definition plus its ImageNet
// weights (downloaded on demand, or a local file), or seeded random weights when asked not to download.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { buildArchitecture } from './architectures';
import { type CatalogEntry, kerasWeightsFile } from '../../shared/catalog';
import type { DownloadProgress } from '../net/download';
import { ModelError } from './errors';
import { isCached } from './cachedFile';
import { downloadFile } from './fileDownload';
import { findInKerasCache } from './kerasCache';
import { expectedWeights, matchWeights } from './keras/matchWeights';
import { readKerasWeightsFile } from './keras/weightsFile';
import type { LayersArtifacts } from './layersFiles';
import { type Topology, toFunctional } from './surgery';

export interface KerasBaseOptions {
  inputSize: number;
  includeTop: boolean;
  cacheDir: string;
  /** false: never download; an uncached base gets seeded random weights instead. */
  download: boolean;
  /** A local Keras weights file to use instead of the catalog's download. */
  weightsFile?: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

export interface KerasBase {
  artifacts: LayersArtifacts;
  /** What the weights are, for people: `ImageNet (file)` or `random (not downloaded)`. */
  weights: string;
  /** Every weight came from a file (tfjs may then insist that none is missing). */
  complete: boolean;
}

export async function kerasBaseArtifacts(entry: CatalogEntry, opts: KerasBaseOptions): Promise<KerasBase> {
  const topology = architectureOf(entry, opts.inputSize, opts.includeTop);
  const file = kerasWeightsFile(entry, opts.inputSize, opts.includeTop);
  const inKerasCache = !opts.weightsFile && file ? await findInKerasCache(file) : undefined;
  const local = opts.weightsFile ?? inKerasCache ?? (file && (opts.download || (await isCached(file.url, opts.cacheDir)))
    ? await downloadFile(file.url, { cacheDir: opts.cacheDir, fileHash: file.fileHash, onProgress: opts.onProgress, signal: opts.signal })
    : undefined);
  if (!local) return randomBase(entry, opts.inputSize, opts.includeTop);
  const layers = toFunctional(topology).model_config.config.layers.map((l) => ({ name: l.name, className: l.class_name }));
  const { weightSpecs, weightData } = matchWeights(await expectedWeights(topology), await readKerasWeightsFile(local, layers), local);
  const source = path.basename(local);
  const weights = opts.weightsFile ? `from ${source}` : inKerasCache ? `ImageNet (${source} from Keras' cache ${path.dirname(local)})` : `ImageNet (${source})`;
  return { artifacts: { modelTopology: topology, weightSpecs, weightData }, weights, complete: true };
}

/** The entry's architecture with seeded random weights: what inspection shows before anything is downloaded. */
export function randomBase(entry: CatalogEntry, inputSize: number, includeTop: boolean): KerasBase {
  const modelTopology = seedInitializers(architectureOf(entry, inputSize, includeTop));
  return { artifacts: { modelTopology, weightSpecs: [], weightData: new ArrayBuffer(0) }, weights: 'random (not downloaded)', complete: false };
}

function architectureOf(entry: CatalogEntry, inputSize: number, includeTop: boolean): Topology {
  if (includeTop && inputSize !== entry.defaultInputSize) {
    throw new ModelError(`the ImageNet classifier (include top) needs ${entry.defaultInputSize} px inputs, not ${inputSize}`, 'inputSize', `Use ${entry.defaultInputSize}, or leave the top out`);
  }
  return buildArchitecture(entry.architecture, { inputSize, includeTop, alpha: entry.alpha });
}

/**
 * Random weights that every load reproduces: each initialiser gets a seed from its layer and role, so the
 * fingerprint (topology + weights) stays true and worker threads rebuild the same network.
 */
export function seedInitializers(topology: Topology): Topology {
  const seeded = structuredClone(toFunctional(topology));
  for (const layer of seeded.model_config.config.layers) {
    for (const [key, value] of Object.entries(layer.config)) {
      const init = value as { config?: { seed?: unknown } } | null;
      if (key.endsWith('_initializer') && init?.config && 'seed' in init.config) {
        init.config.seed = createHash('sha256').update(`${layer.name}/${key}`).digest().readUInt32LE(0);
      }
    }
  }
  return seeded;
}
