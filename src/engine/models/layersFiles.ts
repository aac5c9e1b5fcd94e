// Reads and writes tfjs Layers models (model.json + weight shards) without trusting the files: paths and sizes are checked before any weight byte is read.
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../runs/atomic';
import { ModelError } from './errors';

export interface LayersArtifacts extends tf.io.ModelArtifacts {
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

export interface ModelJson {
  modelTopology: object;
  weightsManifest: tf.io.WeightsManifestConfig;
  format?: string;
  [key: string]: unknown;
}

const GIB = 1024 ** 3;
const MAX_MODEL_JSON_BYTES = 256 * 1024 ** 2;
const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, complex64: 8, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Parses model.json text and checks it is a Layers model with a weights manifest. */
export function parseModelJson(text: string, file: string): ModelJson {
  let json: ModelJson;
  try {
    json = JSON.parse(text) as ModelJson;
  } catch (error) {
    throw new ModelError(`is not valid JSON (${(error as Error).message})`, file, 'Re-export or re-download the model', { cause: error });
  }
  checkLayersModelJson(json, file);
  return json;
}

export function checkLayersModelJson(json: ModelJson, file: string): void {
  if (json?.format === 'graph-model') {
    throw new ModelError('is a TensorFlow graph model, not a Layers model', file, 'Convert the Keras model with `tensorflowjs_converter --output_format tfjs_layers_model`');
  }
  if (typeof json?.modelTopology !== 'object' || json.modelTopology === null || !Array.isArray(json.weightsManifest)) {
    throw new ModelError('has no "modelTopology" object or no "weightsManifest" array', file, 'Point to the model.json written by tensorflowjs_converter or model.save()');
  }
}

/** Rejects weight paths that could leave the model folder (or host): absolute, URL-like, `..`, backslashes. */
export function checkWeightPath(weightPath: unknown, file: string): string {
  const bad =
    typeof weightPath !== 'string' ||
    weightPath === '' ||
    weightPath.includes('\\') ||
    weightPath.includes('\0') ||
    path.posix.isAbsolute(weightPath) ||
    /^[a-z][a-z0-9+.-]*:/i.test(weightPath) ||
    weightPath.split('/').some((segment) => segment === '..' || /^(\.|%2e){2}$/i.test(segment));
  if (bad) {
    throw new ModelError(`weight path ${JSON.stringify(weightPath)} is not a plain relative path inside the model folder`, file, 'Keep weight shards next to model.json and list them by file name only');
  }
  return weightPath;
}

/** Bytes a weight occupies in its shard: elements × size of its stored (possibly quantized) dtype. */
export function weightSpecBytes(spec: tf.io.WeightsManifestEntry, file: string): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const size = BYTES_PER_ELEMENT[dtype];
  const shapeOk = Array.isArray(spec.shape) && spec.shape.every((d) => Number.isInteger(d) && d >= 0);
  if (size === undefined || !shapeOk) {
    throw new ModelError(`weight "${spec.name}" has an unsupported dtype "${dtype}" or shape ${JSON.stringify(spec.shape)}`, file, 'Use a Layers model with numeric weights');
  }
  return spec.shape.reduce((a, b) => a * b, 1) * size;
}

/** Bytes the manifest declares per weight group (each group's shards concatenated). */
export function declaredGroupBytes(manifest: tf.io.WeightsManifestConfig, file: string): number[] {
  return manifest.map((group) => group.weights.reduce((sum, spec) => sum + weightSpecBytes(spec, file), 0));
}

/** Absolute shard paths of a model folder, after checking each stays inside it (symlinks included) and the sizes add up. */
export async function checkShardFiles(dir: string, manifest: tf.io.WeightsManifestConfig, file: string, maxWeightBytes = GIB): Promise<string[][]> {
  const declared = declaredGroupBytes(manifest, file);
  const total = declared.reduce((a, b) => a + b, 0);
  if (total > maxWeightBytes) {
    throw new ModelError(`declares ${total} bytes of weights, above the ${maxWeightBytes}-byte limit`, file, 'Use a smaller model or raise maxWeightBytes');
  }
  const realDir = await fs.realpath(dir);
  return Promise.all(manifest.map(async (group, g) => {
    const shards = await Promise.all(group.paths.map(async (weightPath) => {
      const shard = path.resolve(dir, checkWeightPath(weightPath, file));
      const real = await fs.realpath(shard).catch((error: unknown) => {
        throw new ModelError(`weight shard "${weightPath}" is missing`, file, 'Copy every shard listed in weightsManifest next to model.json', { cause: error });
      });
      if (!real.startsWith(realDir + path.sep)) {
        throw new ModelError(`weight shard "${weightPath}" resolves outside the model folder (${real})`, file, 'Copy the shard into the model folder instead of linking to it');
      }
      return { shard, size: (await fs.stat(real)).size };
    }));
    const actual = shards.reduce((sum, s) => sum + s.size, 0);
    if (actual !== declared[g]) {
      throw new ModelError(`weight group ${g + 1} (${group.paths.join(', ')}) holds ${actual} bytes but its manifest declares ${declared[g]}`, file, 'Re-export or re-download the model: its shards do not match model.json');
    }
    return shards.map((s) => s.shard);
  }));
}

/** Joins shard bytes (in manifest order) into artifacts, refusing any total other than the declared one. */
export function toArtifacts(json: ModelJson, file: string, shards: Uint8Array[]): LayersArtifacts {
  const declared = declaredGroupBytes(json.weightsManifest, file).reduce((a, b) => a + b, 0);
  const actual = shards.reduce((sum, shard) => sum + shard.length, 0);
  if (actual !== declared) {
    throw new ModelError(`weight shards hold ${actual} bytes but the manifest declares ${declared}`, file, 'Re-export or re-download the model: its shards do not match model.json');
  }
  const weights = new Uint8Array(declared);
  shards.reduce((offset, shard) => (weights.set(shard, offset), offset + shard.length), 0);
  const specs = tf.io.getWeightSpecs(json.weightsManifest);
  return tf.io.getModelArtifactsForJSONSync(json as unknown as tf.io.ModelJSON, specs, weights.buffer) as LayersArtifacts;
}

export async function readLayersModelFiles(modelJsonPath: string, opts: { maxWeightBytes?: number } = {}): Promise<LayersArtifacts> {
  const { size } = await fs.stat(modelJsonPath).catch((error: unknown) => {
    throw new ModelError('cannot be read', modelJsonPath, 'Check the path to model.json', { cause: error });
  });
  if (size > MAX_MODEL_JSON_BYTES) {
    throw new ModelError(`is ${size} bytes, too large for a model.json`, modelJsonPath, 'Point to the model.json written by tensorflowjs_converter');
  }
  const json = parseModelJson(await fs.readFile(modelJsonPath, 'utf8'), modelJsonPath);
  const shards = await checkShardFiles(path.dirname(modelJsonPath), json.weightsManifest, modelJsonPath, opts.maxWeightBytes);
  const buffers = await Promise.all(shards.flat().map((shard) => fs.readFile(shard)));
  return toArtifacts(json, modelJsonPath, buffers);
}

/** Writes `model.json` + a single `weights.bin` into `dir`; model.json goes last, so its presence means the model is complete. */
export async function writeLayersModelFiles(dir: string, artifacts: tf.io.ModelArtifacts): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const weights = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
  await writeFileAtomic(path.join(dir, 'weights.bin'), new Uint8Array(weights));
  const json = {
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    modelTopology: artifacts.modelTopology,
    trainingConfig: artifacts.trainingConfig,
    userDefinedMetadata: artifacts.userDefinedMetadata,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
  };
  await writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(json));
}

/** A tf.io handler for a folder, so `model.save(tfjsFileHandler(dir))` works without tfjs-node. */
export function tfjsFileHandler(dir: string): tf.io.IOHandler {
  return {
    save: async (artifacts) => {
      await writeLayersModelFiles(dir, artifacts);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    load: () => readLayersModelFiles(path.join(dir, 'model.json')),
  };
}

/** A model's topology and weights in memory, as `model.save` hands them to a writer. */
export async function modelArtifacts(model: tf.LayersModel): Promise<LayersArtifacts> {
  let artifacts: LayersArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (saved) => {
    artifacts = { ...saved, modelTopology: saved.modelTopology as object, weightSpecs: saved.weightSpecs ?? [], weightData: tf.io.CompositeArrayBuffer.join(saved.weightData) };
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(saved) };
  }));
  return artifacts!;
}
