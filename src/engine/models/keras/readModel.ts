// Any Keras model file whose layers tfjs supports becomes tfjs Layers artifacts: a Keras 2 full-model .h5
// (model_config attribute + model_weights group) or a Keras 3 .keras archive (config.json + model.weights.h5).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ModelError } from '../errors';
import type { LayersArtifacts } from '../layersFiles';
import { type Topology, toFunctional } from '../surgery';
import { isGroup, stringAttr, withH5File } from './h5';
import { fromKeras3Config } from './keras3Config';
import { checkSupported, expectedWeights, matchWeights, type ExpectedWeight } from './matchWeights';
import { type KerasWeights, readKeras2Weights, readKeras3Weights } from './weightsFile';
import { extractZipEntry, listZip, readZipEntry } from './zip';

/** A Keras config is JSON of its layers: a few MB at most, even for hundreds of layers. */
const CONFIG_LIMIT = { bytes: 8 * 2 ** 20, what: 'a model config' };
/** Weights are at most float64 and may carry an optimizer's two slots per weight (Adam), plus HDF5's own bookkeeping. */
const BYTES_PER_PARAMETER = 8 * 3;
const WEIGHTS_FILE_OVERHEAD = 16 * 2 ** 20;
/** Past this no .keras weights file is sane (h5wasm's 32-bit memory could not read it anyway). */
const WEIGHTS_GLOBAL_LIMIT = 2 * 2 ** 30;

/** What model.weights.h5 can hold for the architecture its config declares. */
function weightsLimit(expected: readonly ExpectedWeight[]) {
  const params = expected.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
  const bytes = Math.min(WEIGHTS_GLOBAL_LIMIT, params * BYTES_PER_PARAMETER + WEIGHTS_FILE_OVERHEAD);
  return { bytes, what: `the weights of its architecture (${params.toLocaleString('en-US')} parameters)` };
}

type ReadModel = { topology: Topology; weights: KerasWeights; expected: ExpectedWeight[] };

export async function readKerasModelFile(file: string): Promise<LayersArtifacts> {
  const { topology, weights, expected } = path.extname(file).toLowerCase() === '.keras' ? await readKeras3Archive(file) : await readKeras2Model(file);
  const { weightSpecs, weightData } = matchWeights(expected, weights, file);
  return { modelTopology: topology, weightSpecs, weightData };
}

async function readKeras2Model(file: string): Promise<ReadModel> {
  const read = await withH5File(file, 'r', (root, h5) => {
    const config = stringAttr(root, 'model_config');
    if (!config) {
      throw new ModelError('holds weights only (no "model_config" attribute)', file, 'Save the whole model with model.save("x.h5"), or load these weights onto a catalog architecture');
    }
    const group = root.get('model_weights');
    const topology: Topology = { keras_version: stringAttr(root, 'keras_version'), backend: stringAttr(root, 'backend'), model_config: parseJson(config, file, 'model_config') };
    checkSupported(topology, file);
    return { topology, weights: readKeras2Weights(isGroup(group, h5) ? group : root, h5, file) };
  });
  return { ...read, expected: await expectedWeights(read.topology) };
}

async function readKeras3Archive(file: string): Promise<ReadModel> {
  const zip = await readFile(file);
  const entries = listZip(zip, file);
  const entry = (name: string) => {
    const found = entries.find((e) => e.name === name);
    if (!found) throw new ModelError(`has no ${name}`, file, 'Use a .keras file written by model.save() with the default h5 weights format');
    return found;
  };
  const topology = fromKeras3Config(parseJson(readZipEntry(zip, entry('config.json'), file, CONFIG_LIMIT).toString('utf8'), file, 'config.json'), file);
  checkSupported(topology, file);
  const expected = await expectedWeights(topology);
  const layers = toFunctional(topology).model_config.config.layers.map((l) => ({ name: l.name, className: l.class_name }));
  // h5wasm reads real files only, so the weights leave the archive for a private temp folder.
  const dir = await mkdtemp(path.join(tmpdir(), 'transfer-lab-keras-'));
  try {
    const weightsFile = path.join(dir, 'model.weights.h5');
    await extractZipEntry(zip, entry('model.weights.h5'), file, weightsFile, weightsLimit(expected));
    const weights = await withH5File(weightsFile, 'r', (root, h5) => readKeras3Weights(root, h5, `${file} (model.weights.h5)`, layers));
    return { topology, weights, expected };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function parseJson(text: string, file: string, what: string) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ModelError(`has a ${what} that is not valid JSON (${(error as Error).message})`, file, 'Save the model again', { cause: error });
  }
}
