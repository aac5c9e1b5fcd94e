// One entry point for base models: a catalog id, a local model.json (or its folder) or a URL, cut and resized.
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { completeBatchNorms } from './batchNormInference';
import { CATALOG, CatalogEntry, findCatalogEntry } from '../../shared/catalog';
import type { DownloadProgress } from '../net/download';
import { downloadModel, isModelCached } from './download';
import { ModelError } from './errors';
import { detectWeightsArchitecture } from './keras/detectArchitecture';
import { isKerasModelFile } from './keras/modelFile';
import { readKerasModelFile } from './keras/readModel';
import { kerasBaseArtifacts, randomBase } from './kerasBase';
import { LayersArtifacts, readLayersModelFiles, weightSpecBytes } from './layersFiles';
import { readNsfwjsModel } from './nsfwjs';
import type { Preprocessing, PreprocessingChoice } from '../../shared/preprocessing';
import { detectPreprocessing, readProbe } from './detectPreprocessing';
import { FunctionalTopology, cutTopology, featureMapLayer, inputSizeOf, layerNames, setInputSize, toFunctional } from './surgery';

export interface LoadBaseModelOptions {
  inputSize?: number;
  cutLayer?: string;
  /** Overrides the catalog's value or what detection finds for a file/URL model. */
  preprocessing?: Preprocessing;
  /** Image files whose batch-norm statistics decide a file/URL model's preprocessing when nothing else does. */
  probeImages?: readonly string[];
  cacheDir: string;
  sha256?: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Keep the classifier on top (Keras' include_top): the default cut becomes the model's output. */
  includeTop?: boolean;
  /** false: never download (inspection); keras.applications bases not in the cache get seeded random weights. */
  download?: boolean;
  /** A local Keras weights file (.h5 / .weights.h5) for a catalog architecture (base.weights), instead of its catalog weights. */
  weightsFile?: string;
}

export interface BaseModelInfo {
  ref: string;
  id: string;
  displayName: string;
  source: 'catalog' | 'file' | 'url';
  architecture?: string;
  inputSize: number;
  preprocessing: Preprocessing;
  /** How `preprocessing` was chosen, for the run's log, state, model card and `inspect`. */
  preprocessingChoice: PreprocessingChoice;
  cutLayer: string;
  /** sha256 over the cut topology JSON, the weight bytes it uses and the input size: same value, same features. */
  fingerprint: string;
  origin: string;
  paramCount: number;
  /** Where the weights come from, e.g. `ImageNet (vgg16_…_notop.h5)`, `nsfwjs checkpoint`, `random (not downloaded)`. */
  weights: string;
  /** base.weights: the Keras weights file loaded onto the catalog architecture (worker threads load it too). */
  weightsFile?: string;
}

/** Input size of file/URL models whose InputLayer accepts any size. */
const FLEXIBLE_INPUT_DEFAULT = 224;

interface Resolved {
  artifacts: LayersArtifacts;
  source: BaseModelInfo['source'];
  entry?: CatalogEntry;
  displayName: string;
  origin: string;
  weights: string;
  /** Some weights are deliberately left to their (seeded) initialisers. */
  partial?: boolean;
  /** The folder a model file was read from. */
  folder?: string;
}

function checkInputSize(entry: CatalogEntry | undefined, inputSize: number | undefined): void {
  if (entry && inputSize !== undefined && (inputSize < entry.minInputSize || inputSize > entry.maxInputSize)) {
    throw new ModelError(`input size ${inputSize} is outside ${entry.minInputSize}..${entry.maxInputSize} for ${entry.id}`, 'inputSize', `Pick a size between ${entry.minInputSize} and ${entry.maxInputSize}`);
  }
}

export async function loadBaseModel(ref: string, opts: LoadBaseModelOptions): Promise<{ model: tf.LayersModel; info: BaseModelInfo }> {
  checkInputSize(findCatalogEntry(ref), opts.inputSize); // before any download
  const { artifacts, source, entry, displayName, origin, weights, partial, folder } = await resolveRef(ref, opts);
  checkInputSize(entry, opts.inputSize);
  const outputLayer = () => toFunctional(artifacts.modelTopology).model_config.config.output_layers[0][0];
  const cutLayer = opts.cutLayer ?? (opts.includeTop ? outputLayer() : entry?.defaultCutLayer ?? featureMapLayer(artifacts.modelTopology));
  const cut = cutTopology(artifacts.modelTopology, cutLayer);
  const inputSize = opts.inputSize ?? entry?.defaultInputSize ?? inputSizeOf(cut) ?? FLEXIBLE_INPUT_DEFAULT;
  const topology = inputSize === inputSizeOf(cut) ? cut : setInputSize(cut, inputSize);
  const { weightSpecs, weightData } = weightsUsedBy(topology, artifacts);
  const fingerprint = createHash('sha256').update(JSON.stringify(topology)).update(new Uint8Array(weightData)).update(String(inputSize)).digest('hex');
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology, weightSpecs, weightData }), { strict: !partial });
  completeBatchNorms(model);
  const preprocessingChoice = await choosePreprocessing(model, inputSize, entry, folder, opts);
  const info: BaseModelInfo = {
    ref,
    id: entry?.id ?? fingerprint.slice(0, 12),
    displayName,
    source,
    architecture: entry?.architecture,
    inputSize,
    preprocessing: preprocessingChoice.value,
    preprocessingChoice,
    cutLayer,
    fingerprint,
    origin,
    paramCount: model.countParams(),
    weights,
    ...(opts.weightsFile ? { weightsFile: opts.weightsFile } : {}),
  };
  return { model, info };
}

async function choosePreprocessing(model: tf.LayersModel, inputSize: number, entry: CatalogEntry | undefined, folder: string | undefined, opts: LoadBaseModelOptions): Promise<PreprocessingChoice> {
  if (opts.preprocessing) return { value: opts.preprocessing, source: 'experiment', reason: 'set in the experiment (base.preprocessing)' };
  if (entry) return { value: entry.preprocessing, source: 'catalog', reason: `what the catalog's ${entry.id} was trained with` };
  const probe = opts.probeImages?.length ? await readProbe(opts.probeImages, inputSize) : undefined;
  return detectPreprocessing({ model, modelFolder: folder, probe, inputSize });
}

/** A catalog architecture built by us with Keras weights: the catalog's ImageNet file, or a weights-only file of the user's. */
async function kerasArchitecture(entry: CatalogEntry, opts: LoadBaseModelOptions, described: Pick<Resolved, 'source' | 'displayName' | 'origin'>): Promise<Resolved> {
  const { artifacts, weights, complete } = await kerasBaseArtifacts(entry, {
    ...opts, inputSize: opts.inputSize ?? entry.defaultInputSize, includeTop: opts.includeTop ?? false, download: opts.download ?? true,
  });
  return { artifacts, entry, ...described, weights, partial: !complete };
}

async function resolveRef(ref: string, opts: LoadBaseModelOptions): Promise<Resolved> {
  const entry = findCatalogEntry(ref);
  if (opts.weightsFile && !entry) {
    throw new ModelError('base.weights needs a catalog architecture as base.model', ref, 'Set base.model to the catalog id the weights were saved from (e.g. mobilenet_0.25), or give a whole-model file as base.model without base.weights');
  }
  if (entry) {
    const { displayName, origin } = entry;
    const catalog = { source: 'catalog' as const, entry, displayName, origin };
    if (entry.source.kind === 'keras' || opts.weightsFile) return kerasArchitecture(entry, opts, catalog);
    if (entry.source.kind === 'nsfwjs') return { artifacts: readNsfwjsModel(entry.source.name), ...catalog, weights: 'nsfwjs checkpoint (offline)' };
    const sha256 = entry.source.sha256 ?? opts.sha256;
    if (opts.download === false && !(await isModelCached(entry.source.url, opts.cacheDir, sha256))) {
      const { artifacts, weights } = randomBase(entry, opts.inputSize ?? entry.defaultInputSize, opts.includeTop ?? false);
      return { artifacts, ...catalog, weights, partial: true };
    }
    const folder = await downloadModel(entry.source.url, { ...opts, sha256 });
    return { artifacts: await readLayersModelFiles(path.join(folder, 'model.json')), ...catalog, weights: 'downloaded tfjs Layers model' };
  }
  if (/^https?:\/\//i.test(ref)) {
    const folder = await downloadModel(ref, opts);
    return { artifacts: await readLayersModelFiles(path.join(folder, 'model.json')), source: 'url', displayName: ref, origin: `downloaded from ${ref}`, weights: 'downloaded tfjs Layers model' };
  }
  const stat = await fs.stat(ref).catch(() => undefined);
  if (!stat) {
    const ids = CATALOG.map((e) => e.id).join(', ');
    throw new ModelError('is not a catalog id, an existing path or an http(s) URL', ref, `Use one of the catalog ids (${ids}), a path to a model.json or its folder, a Keras .h5/.keras model file, or an http(s) URL to a model.json`);
  }
  if (stat.isFile() && isKerasModelFile(ref)) {
    const absolute = path.resolve(ref);
    // keras.applications' downloads and save_weights files hold weights only: put them on the architecture they name
    const detected = path.extname(ref).toLowerCase() !== '.keras' ? await detectWeightsArchitecture(ref) : undefined;
    if (detected) {
      const { entry: found, evidence } = detected;
      const described = { source: 'file' as const, displayName: `${found.id} (${path.basename(absolute)})`, origin: `Keras weights file ${absolute}, detected as ${found.id} (${evidence})` };
      return kerasArchitecture(found, { ...opts, weightsFile: absolute }, described);
    }
    return { artifacts: await readKerasModelFile(ref), source: 'file', displayName: path.basename(absolute), origin: `Keras model file ${absolute}`, weights: `from ${path.basename(absolute)}`, folder: path.dirname(absolute) };
  }
  const file = stat.isDirectory() ? path.join(ref, 'model.json') : ref;
  const absolute = path.resolve(file);
  return { artifacts: await readLayersModelFiles(file), source: 'file', displayName: path.basename(path.dirname(absolute)), origin: `local file ${absolute}`, weights: `from ${path.basename(path.dirname(absolute))}`, folder: path.dirname(absolute) };
}

/** Only the weights of kept layers (names are `<layer>/<weight>`), so a cut head is neither decoded nor hashed. */
function weightsUsedBy(topology: FunctionalTopology, artifacts: LayersArtifacts): { weightSpecs: tf.io.WeightsManifestEntry[]; weightData: ArrayBuffer } {
  const kept = new Set(topology.model_config.config.layers.map((l) => l.name));
  const dropped = new Set(layerNames(artifacts.modelTopology).filter((name) => !kept.has(name)));
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const ranges: [number, number][] = [];
  let offset = 0;
  for (const spec of artifacts.weightSpecs) {
    const end = offset + weightSpecBytes(spec, 'weightsManifest');
    if (!dropped.has(spec.name.split('/')[0])) {
      weightSpecs.push(spec);
      ranges.push([offset, end]);
    }
    offset = end;
  }
  const all = new Uint8Array(artifacts.weightData);
  const used = new Uint8Array(ranges.reduce((sum, [start, end]) => sum + end - start, 0));
  ranges.reduce((at, [start, end]) => (used.set(all.subarray(start, end), at), at + end - start), 0);
  return { weightSpecs, weightData: used.buffer };
}
