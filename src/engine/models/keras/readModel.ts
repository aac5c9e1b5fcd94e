// Any Keras model file whose layers tfjs supports becomes tfjs Layers artifacts: a Keras 2 full-model .h5
// (model_config attribute + model_weights group) or a Keras 3 .keras archive (config.json + model.weights.h5).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ModelError } from '../errors';
import type { LayersArtifacts } from '../layersFiles';
import { type Topology, toFunctional } from '../surgery';
import { isGroup, stringAttr, withH5File } from './h5';
import { fromKeras3Config } from './keras3Config';
import { checkSupported, expectedWeights, matchWeights } from './matchWeights';
import { type KerasWeights, readKeras2Weights, readKeras3Weights } from './weightsFile';
import { listZip, readZipEntry } from './zip';

export async function readKerasModelFile(file: string): Promise<LayersArtifacts> {
  const { topology, weights } = path.extname(file).toLowerCase() === '.keras' ? await readKeras3Archive(file) : await readKeras2Model(file);
  const { weightSpecs, weightData } = matchWeights(await expectedWeights(topology), weights, file);
  return { modelTopology: topology, weightSpecs, weightData };
}

async function readKeras2Model(file: string): Promise<{ topology: Topology; weights: KerasWeights }> {
  return withH5File(file, 'r', (root, h5) => {
    const config = stringAttr(root, 'model_config');
    if (!config) {
      throw new ModelError('holds weights only (no "model_config" attribute)', file, 'Save the whole model with model.save("x.h5"), or load these weights onto a catalog architecture');
    }
    const group = root.get('model_weights');
    const topology: Topology = { keras_version: stringAttr(root, 'keras_version'), backend: stringAttr(root, 'backend'), model_config: parseJson(config, file, 'model_config') };
    checkSupported(topology, file);
    return { topology, weights: readKeras2Weights(isGroup(group, h5) ? group : root, h5, file) };
  });
}

async function readKeras3Archive(file: string): Promise<{ topology: Topology; weights: KerasWeights }> {
  const zip = await readFile(file);
  const entries = listZip(zip, file);
  const entry = (name: string) => {
    const found = entries.find((e) => e.name === name);
    if (!found) throw new ModelError(`has no ${name}`, file, 'Use a .keras file written by model.save() with the default h5 weights format');
    return readZipEntry(zip, found, file);
  };
  const topology = fromKeras3Config(parseJson(entry('config.json').toString('utf8'), file, 'config.json'), file);
  checkSupported(topology, file);
  const layers = toFunctional(topology).model_config.config.layers.map((l) => ({ name: l.name, className: l.class_name }));
  // h5wasm reads real files only, so the weights leave the archive for a private temp folder.
  const dir = await mkdtemp(path.join(tmpdir(), 'transfer-lab-keras-'));
  try {
    const weightsFile = path.join(dir, 'model.weights.h5');
    await writeFile(weightsFile, entry('model.weights.h5'));
    const weights = await withH5File(weightsFile, 'r', (root, h5) => readKeras3Weights(root, h5, `${file} (model.weights.h5)`, layers));
    return { topology, weights };
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
