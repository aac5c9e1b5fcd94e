// Writes tfjs Layers artifacts as a Keras 2 full-model HDF5 file, the layout keras.models.load_model reads in
// Keras 2 and (as its legacy format) Keras 3: root attributes model_config/keras_version/backend, and a
// model_weights group with layer_names, one group per layer with weight_names, datasets at <layer>/<weight>:0.
import { writeThroughPart } from '../../runs/atomic';
import type { LayersArtifacts } from '../layersFiles';
import { type Topology, toFunctional } from '../surgery';
import { kerasCompatible, weightsByLayer } from './exportParts';
import { type H5Group, withH5File } from './h5';

export async function writeKerasH5(artifacts: LayersArtifacts, file: string): Promise<void> {
  const topology = artifacts.modelTopology as Topology;
  const modelConfig = kerasCompatible(topology.model_config ?? { class_name: topology.class_name as string, config: topology.config });
  const layerNames = toFunctional(topology).model_config.config.layers.map((l) => l.name);
  const weights = weightsByLayer(artifacts, layerNames, file);
  await writeThroughPart(file, (part) => withH5File(part, 'w', (root) => {
    root.create_attribute('keras_version', topology.keras_version ?? 'tfjs-layers');
    root.create_attribute('backend', 'tensorflow');
    root.create_attribute('model_config', JSON.stringify(modelConfig));
    const group = root.create_group('model_weights');
    group.create_attribute('layer_names', layerNames);
    group.create_attribute('keras_version', topology.keras_version ?? 'tfjs-layers');
    group.create_attribute('backend', 'tensorflow');
    for (const layer of [...layerNames].sort()) {
      const own = weights.get(layer) ?? [];
      const layerGroup = group.create_group(layer);
      const names = own.map((w) => `${w.name}:0`);
      layerGroup.create_attribute('weight_names', names.length > 0 ? names : new Float64Array(0), [names.length]);
      for (const w of own) {
        const folders = `${w.name}:0`.split('/');
        const dataset = folders.pop() as string;
        const parent = folders.reduce((g, folder) => (g.get(folder) as H5Group | null) ?? g.create_group(folder), layerGroup);
        parent.create_dataset({ name: dataset, data: w.values, shape: w.shape, dtype: '<f' });
      }
    }
  }));
}
