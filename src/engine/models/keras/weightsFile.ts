// Reads the weights of a Keras file into one shape: layer name → its weights in Keras' stored order.
// Keras 2 (.h5, weights-only or full model): groups per layer name with a `weight_names` attribute.
// Keras 3 (.weights.h5, or model.weights.h5 inside .keras): `layers/<snake_case class>[_N]/vars/<i>`, named by class
// and position in model.layers, not by layer name — so the model config is needed to put names back.
import { ModelError } from '../errors';
import { type H5Group, type H5Module, isDataset, isGroup, stringListAttr, withH5File } from './h5';

export interface FileWeight {
  /** As stored: `conv1/kernel:0` (Keras 2) or `vars/0` (Keras 3). */
  name: string;
  shape: number[];
  values: Float32Array;
}

export type KerasWeights = Map<string, FileWeight[]>;

/** A weights file for a known list of layers: Keras 2 (weights-only or full model) or Keras 3 (.weights.h5). */
export function readKerasWeightsFile(file: string, layers: readonly { name: string; className: string }[]): Promise<KerasWeights> {
  return withH5File(file, 'r', (root, h5) => {
    const modelWeights = root.get('model_weights');
    if (isGroup(modelWeights, h5)) return readKeras2Weights(modelWeights, h5, file);
    if (stringListAttr(root, 'layer_names')) return readKeras2Weights(root, h5, file);
    if (isGroup(root.get('layers'), h5)) return readKeras3Weights(root, h5, file, layers);
    throw new ModelError('is an HDF5 file but not Keras weights (no layer_names, model_weights or layers)', file, 'Use a Keras weights file (.h5 or .weights.h5)');
  });
}

/** Keras 2 layout, from the file root (weights-only file) or its `model_weights` group (full model). */
export function readKeras2Weights(group: H5Group, h5: H5Module, file: string): KerasWeights {
  const layerNames = stringListAttr(group, 'layer_names');
  if (!layerNames) throw new ModelError('has no "layer_names" attribute: it is not a Keras 2 weights file', file, 'Save it with model.save("x.h5") or model.save_weights("x.h5") in Keras 2, or use a .keras archive');
  const weights: KerasWeights = new Map();
  for (const layer of layerNames) {
    const layerGroup = group.get(layer);
    if (!isGroup(layerGroup, h5)) throw new ModelError(`lists layer "${layer}" but has no group for it`, file, 'The file is damaged: save or download it again');
    const names = (stringListAttr(layerGroup, 'weight_names') ?? []).filter((n) => n !== ''); // a weightless layer's list reads as ['']
    weights.set(layer, names.map((name) => readDataset(layerGroup.get(name), h5, `${file}: ${layer}/${name}`, name)));
  }
  return weights;
}

/** Keras 3 layout for the model's layers (name and class, in model.layers order as the config lists them). */
export function readKeras3Weights(root: H5Group, h5: H5Module, file: string, layers: readonly { name: string; className: string }[]): KerasWeights {
  const keys = keras3LayerKeys(layers.map((l) => l.className));
  const weights: KerasWeights = new Map();
  for (const [i, { name }] of layers.entries()) {
    const key = keys[i];
    const vars = root.get(`layers/${key}/vars`);
    if (!isGroup(vars, h5)) {
      weights.set(name, []);
      continue;
    }
    const indices = vars.keys().map(Number).sort((a, b) => a - b);
    weights.set(name, indices.map((i) => readDataset(vars.get(String(i)), h5, `${file}: layers/${key}/vars/${i} (layer "${name}")`, `vars/${i}`)));
  }
  return weights;
}

/** Each layer's group under `layers/` in a Keras 3 weights file: its class in snake case, `_1`, `_2`, … for repeats (saving_lib's container naming). */
export function keras3LayerKeys(classNames: readonly string[]): string[] {
  const used = new Map<string, number>();
  return classNames.map((className) => {
    const base = snakeCase(className);
    const count = used.get(base);
    used.set(base, (count ?? -1) + 1);
    return count === undefined ? base : `${base}_${count + 1}`;
  });
}

/** Keras' naming.to_snake_case, which names a layer's group in Keras 3 weight files. */
function snakeCase(className: string): string {
  return className.replace(/\W+/g, '').replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

function readDataset(entity: unknown, h5: H5Module, where: string, name: string): FileWeight {
  if (!isDataset(entity, h5)) throw new ModelError('is missing', where, 'The file is damaged: save or download it again');
  const value = entity.value;
  const shape = entity.shape ?? [];
  if (value instanceof Float32Array) return { name, shape, values: value };
  if (value instanceof Float64Array) return { name, shape, values: Float32Array.from(value) };
  throw new ModelError(`has dtype ${entity.dtype}; only float32 and float64 weights are supported`, where, 'Save the model with float32 weights');
}
