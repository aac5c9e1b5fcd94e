// A tfjs (Keras 2 style) functional topology as the config.json Keras 3 writes into a .keras archive: every object
// as {module, class_name, config, registered_name}, dtype policies, build_config, and call nodes as {args, kwargs}
// of `__keras_tensor__` references with their shapes. The inverse of keras3Config.ts.
import type * as tf from '@tensorflow/tfjs';
import type { FunctionalTopology, KerasLayer, TensorRef } from '../surgery';
import { kerasCompatible } from './exportParts';

type Shape = (number | null)[];
type Config = Record<string, unknown>;

const serialized = (module: string, className: string, config: unknown, registeredName: string | null = null) =>
  ({ module, class_name: className, config, registered_name: registeredName });

/** Modules of the objects layer configs hold, by the key's ending (`kernel_initializer`, `bias_regularizer`, …). */
const MODULES: [suffix: string, module: string][] = [['_initializer', 'keras.initializers'], ['_regularizer', 'keras.regularizers'], ['_constraint', 'keras.constraints']];

/** `model` is tfjs' build of `topology`, which knows every tensor's shape. */
export function toKeras3Config(topology: FunctionalTopology, model: tf.LayersModel): Config {
  const { name, layers, input_layers, output_layers } = kerasCompatible(topology.model_config.config);
  const shapeOf = ([layer, node, index]: TensorRef): Shape => model.getLayer(layer).inboundNodes[node].outputTensors[index].shape;
  // Keras 3 writes a single input or output as one [layer, node, tensor] triple, several as a list of them.
  const history = (refs: TensorRef[]) => (refs.length === 1 ? refs[0].slice(0, 3) : refs.map((ref) => ref.slice(0, 3)));
  const converted = layers.map((layer) => layerConfig(layer, shapeOf, model.getLayer(layer.name).weights.length > 0));
  return {
    ...serialized('keras.src.models.functional', 'Functional', { name, trainable: true, layers: converted, input_layers: history(input_layers), output_layers: history(output_layers) }, 'Functional'),
    build_config: { input_shape: null },
    compile_config: null,
  };
}

function layerConfig(layer: KerasLayer, shapeOf: (ref: TensorRef) => Shape, hasWeights: boolean): Config {
  const tensor = (ref: TensorRef) => ({ class_name: '__keras_tensor__', config: { shape: shapeOf(ref), dtype: 'float32', keras_history: ref.slice(0, 3) } });
  const inbound_nodes = layer.inbound_nodes.map((refs) => ({ args: refs.length === 1 ? [tensor(refs[0])] : [refs.map(tensor)], kwargs: {} }));
  const inputShapes = (layer.inbound_nodes[0] ?? []).map(shapeOf);
  // Keras records the input shape of layers that build something: weights, or a merge of several inputs.
  const build = hasWeights || inputShapes.length > 1 ? { build_config: { input_shape: inputShapes.length === 1 ? inputShapes[0] : inputShapes } } : {};
  return { ...serialized('keras.layers', layer.class_name, configOf(layer)), ...build, name: layer.name, inbound_nodes };
}

function configOf({ class_name, name, config }: KerasLayer): Config {
  const dtype = typeof config.dtype === 'string' ? config.dtype : 'float32';
  if (class_name === 'InputLayer') return { batch_shape: config.batch_input_shape ?? null, dtype, sparse: config.sparse ?? false, name };
  const wrapped = Object.entries(config).map(([key, value]) => {
    const module = MODULES.find(([suffix]) => key.endsWith(suffix))?.[1];
    const object = value as { class_name?: string; config?: unknown } | null;
    return [key, module && object?.class_name ? serialized(module, object.class_name, object.config ?? {}) : value];
  });
  return { ...Object.fromEntries(wrapped), name, dtype: serialized('keras', 'DTypePolicy', { name: dtype }) };
}
