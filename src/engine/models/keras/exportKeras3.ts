// Writes tfjs Layers artifacts as a Keras 3 `.keras` archive, what keras.saving.load_model reads: a stored zip of
// metadata.json, config.json and model.weights.h5 laid out as Keras 3's saving_lib writes it — `vars` for the
// model itself and `layers/<snake_case class>[_N]/vars/<i>` for each of model.layers (named by class and position,
// not by layer name), each layer's weights in their creation order.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeThroughPart } from '../../runs/atomic';
import { ModelError } from '../errors';
import type { LayersArtifacts } from '../layersFiles';
import { type Topology, toFunctional } from '../surgery';
import { weightsByLayer } from './exportParts';
import { withH5File } from './h5';
import { withShapeModel } from './matchWeights';
import { toKeras3Config } from './toKeras3Config';
import { keras3LayerKeys } from './weightsFile';
import { writeZip } from './zip';

/** The Keras release whose archive format this follows (load_model does not read metadata.json). */
const KERAS_FORMAT_VERSION = '3.6.0';
const NESTED_MODELS = new Set(['Model', 'Functional', 'Sequential']);

export async function writeKerasArchive(artifacts: LayersArtifacts, file: string): Promise<void> {
  const topology = toFunctional(artifacts.modelTopology as Topology);
  const layers = topology.model_config.config.layers;
  const nested = layers.find((l) => NESTED_MODELS.has(l.class_name));
  if (nested) throw new ModelError(`layer "${nested.name}" is a nested model, which the .keras export does not write`, file, 'Export as .h5, or flatten the model first');
  const config = await withShapeModel(topology, (model) => toKeras3Config(topology, model));
  const weights = weightsByLayer(artifacts, layers.map((l) => l.name), file);
  // h5wasm writes real files only: the weights file is made in a private temp folder, then zipped.
  const dir = await mkdtemp(path.join(tmpdir(), 'transfer-lab-keras-'));
  try {
    const weightsFile = path.join(dir, 'model.weights.h5');
    await withH5File(weightsFile, 'w', (root) => {
      root.create_group('vars');
      const group = root.create_group('layers');
      keras3LayerKeys(layers.map((l) => l.class_name)).forEach((key, i) => {
        const vars = group.create_group(key).create_group('vars');
        weights.get(layers[i].name)!.forEach((w, index) => vars.create_dataset({ name: String(index), data: w.values, shape: w.shape, dtype: '<f' }));
      });
    });
    const metadata = { keras_version: KERAS_FORMAT_VERSION, date_saved: new Date().toISOString().slice(0, 19).replace('T', '@') };
    const zip = writeZip([
      { name: 'metadata.json', data: Buffer.from(JSON.stringify(metadata)) },
      { name: 'config.json', data: Buffer.from(JSON.stringify(config)) },
      { name: 'model.weights.h5', data: await readFile(weightsFile) },
    ]);
    await writeThroughPart(file, (part) => writeFile(part, zip));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
