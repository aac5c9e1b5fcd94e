// Keras 3 writes configs with module/registered_name wrappers, dtype policies and `{args, kwargs}` call nodes;
// tfjs reads Keras 2's shape. This rewrites the first into the second (layer names and order unchanged).
import { ModelError } from '../errors';
import type { KerasLayer, TensorRef, Topology } from '../surgery';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Keras3Layer {
  class_name: string;
  name?: string;
  config: JsonObject;
  inbound_nodes?: Json[];
}

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function fromKeras3Config(json: JsonObject, file: string): Topology {
  const { class_name, config } = json;
  if (typeof class_name !== 'string' || !isObject(config) || !Array.isArray(config.layers)) {
    throw new ModelError('config.json does not describe a Keras model (no class_name and config.layers)', file, 'Use a .keras file written by model.save()');
  }
  const layers = (config.layers as unknown as Keras3Layer[]).map((layer) => {
    if (layer.class_name === 'Functional' || layer.class_name === 'Sequential' || layer.class_name === 'Model') {
      throw new ModelError(`layer "${layer.name ?? layer.config.name}" is a nested ${layer.class_name} model, which is not supported`, file, 'Rebuild the model flat (call the base model\'s layers directly) before saving');
    }
    return convertLayer(layer);
  });
  const refs = (value: Json | undefined) => {
    const list = (Array.isArray(value) ? value : []) as Json[];
    return (typeof list[0] === 'string' ? [list] : list) as unknown as TensorRef[];
  };
  const name = config.name as string;
  const converted = class_name === 'Sequential'
    ? { class_name, config: { name, layers } }
    : { class_name: 'Model', config: { name, layers, input_layers: refs(config.input_layers), output_layers: refs(config.output_layers) } };
  return { model_config: converted };
}

function convertLayer(layer: Keras3Layer): KerasLayer {
  const config = convertValue(layer.config) as JsonObject;
  if (layer.class_name === 'InputLayer') {
    config.batch_input_shape = config.batch_shape ?? null;
    delete config.batch_shape;
  }
  const name = (layer.name ?? config.name) as string;
  return { name, class_name: layer.class_name, config: { ...config, name }, inbound_nodes: (layer.inbound_nodes ?? []).map(convertNode) };
}

/** `{args, kwargs}` → Keras 2's list of `[layer, node, tensor, kwargs]`, one per Keras tensor in the arguments. */
function convertNode(node: Json): TensorRef[] {
  if (Array.isArray(node)) return node as unknown as TensorRef[];
  const refs: TensorRef[] = [];
  const visit = (value: Json) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value) && value.class_name === '__keras_tensor__' && isObject(value.config)) {
      const [layer, nodeIndex, tensorIndex] = value.config.keras_history as [string, number, number];
      refs.push([layer, nodeIndex, tensorIndex, {}]);
    } else if (isObject(value)) Object.values(value).forEach(visit);
  };
  visit(isObject(node) ? (node.args ?? []) : node);
  return refs;
}

/** Drops Keras 3's serialisation wrappers: `{module, class_name, config, registered_name}` → `{class_name, config}`, dtype policies → dtype names. */
function convertValue(value: Json): Json {
  if (Array.isArray(value)) return value.map(convertValue);
  if (!isObject(value)) return value;
  if (value.class_name === 'DTypePolicy' || value.class_name === 'FloatDTypePolicy') return (value.config as JsonObject).name;
  if ('module' in value && 'class_name' in value) return { class_name: value.class_name, config: convertValue(value.config ?? {}) };
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertValue(v)]));
}
