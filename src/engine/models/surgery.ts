// Pure edits of a Keras / tfjs Layers topology (model.json's `modelTopology`): no weights, no TensorFlow.
import { ModelError } from './errors';
import { closestNames } from '../../shared/freeze';

/** [layerName, nodeIndex, tensorIndex, kwargs?] as Keras 2 writes it. */
export type TensorRef = [string, number, number, ...unknown[]];

export interface KerasLayer {
  name: string;
  class_name: string;
  config: Record<string, unknown> & { name?: string; batch_input_shape?: (number | null)[] };
  inbound_nodes: TensorRef[][];
}

export interface FunctionalConfig {
  name?: string;
  layers: KerasLayer[];
  input_layers: TensorRef[];
  output_layers: TensorRef[];
}

/** Either Keras' wrapper `{keras_version, backend, model_config}` or tfjs' bare `{class_name, config}`. */
export interface Topology {
  keras_version?: string;
  backend?: string;
  model_config?: { class_name: string; config: unknown };
  class_name?: string;
  config?: unknown;
}

export interface FunctionalTopology {
  keras_version?: string;
  backend?: string;
  model_config: { class_name: 'Model'; config: FunctionalConfig };
}

/** A functional copy of any topology; Sequential models become an InputLayer plus a chain, with the same layer names. */
export function toFunctional(topology: Topology): FunctionalTopology {
  const { class_name, config } = structuredClone(topology.model_config ?? { class_name: topology.class_name, config: topology.config });
  const wrap = (c: FunctionalConfig): FunctionalTopology => ({
    keras_version: topology.keras_version,
    backend: topology.backend,
    model_config: { class_name: 'Model', config: c },
  });
  if (class_name === 'Model' || class_name === 'Functional') return wrap(config as FunctionalConfig);
  if (class_name !== 'Sequential') {
    throw new ModelError(`unsupported model class "${class_name}"`, 'modelTopology.model_config.class_name', 'Use a Keras Sequential or functional model saved in tfjs Layers format');
  }
  // Keras <= 2.2.2 stores a Sequential's layers as a bare array; later versions as {name, layers}.
  const seq = (Array.isArray(config) ? { layers: config } : config) as { name?: string; layers: KerasLayer[] };
  const modelName = seq.name ?? 'sequential';
  const layers: KerasLayer[] = [];
  const first = seq.layers[0];
  if (first?.class_name !== 'InputLayer') {
    const name = `${modelName}_input`;
    const batch_input_shape = first?.config.batch_input_shape;
    layers.push({ name, class_name: 'InputLayer', config: { name, batch_input_shape, dtype: first?.config.dtype ?? 'float32', sparse: false }, inbound_nodes: [] });
  }
  for (const layer of seq.layers) {
    const previous = layers.at(-1);
    const inbound_nodes: TensorRef[][] = previous ? [[[previous.name, 0, 0, {}]]] : [];
    layers.push({ ...layer, name: layer.config.name ?? layer.name, inbound_nodes });
  }
  const [input, output] = [layers[0].name, layers[layers.length - 1].name];
  return wrap({ name: modelName, layers, input_layers: [[input, 0, 0]], output_layers: [[output, 0, 0]] });
}

export function layerNames(topology: Topology): string[] {
  return toFunctional(topology).model_config.config.layers.map((l) => l.name);
}

function inboundNames(layer: KerasLayer): string[] {
  return (layer.inbound_nodes ?? []).flatMap((node) => node.map((ref) => ref[0]));
}

/** The named layer becomes the single output; only the layers it depends on are kept (in their original order). */
export function cutTopology(topology: Topology, layerName: string): FunctionalTopology {
  const functional = toFunctional(topology);
  const config = functional.model_config.config;
  const byName = new Map(config.layers.map((l) => [l.name, l]));
  if (!byName.has(layerName)) {
    throw new ModelError(`no layer named "${layerName}"`, 'cutLayer', `Pick an existing layer, e.g. ${closestNames(layerName, [...byName.keys()], 5).map((n) => `"${n}"`).join(', ')}`);
  }
  const kept = new Set<string>();
  const pending = [layerName];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (kept.has(name)) continue;
    kept.add(name);
    pending.push(...inboundNames(byName.get(name) as KerasLayer));
  }
  config.layers = config.layers.filter((l) => kept.has(l.name));
  config.input_layers = config.input_layers.filter((ref) => kept.has(ref[0]));
  config.output_layers = [[layerName, 0, 0]];
  return functional;
}

/** Square input of `size` pixels; refused when a layer (Flatten, Reshape) ties the graph to its original size. */
export function setInputSize(topology: Topology, size: number): FunctionalTopology {
  const functional = toFunctional(topology);
  const layers = functional.model_config.config.layers;
  if (!Number.isInteger(size) || size < 1) {
    throw new ModelError(`input size ${size} is not a positive whole number`, 'inputSize', 'Use a pixel size such as 96, 160 or 224');
  }
  const fixing = layers.find((l) => l.class_name === 'Flatten' || l.class_name === 'Reshape');
  if (fixing) {
    throw new ModelError(`layer "${fixing.name}" (${fixing.class_name}) fixes the input size`, 'inputSize', `Cut the model before "${fixing.name}" (cutLayer "${inboundNames(fixing)[0]}") or keep the original input size`);
  }
  const inputs = layers.filter((l) => l.class_name === 'InputLayer' && l.config.batch_input_shape?.length === 4);
  if (inputs.length === 0) {
    throw new ModelError('the model has no image input ([batch, height, width, channels])', 'inputSize', 'Use an image model');
  }
  for (const input of inputs) {
    const [batch, , , channels] = input.config.batch_input_shape as (number | null)[];
    input.config.batch_input_shape = [batch, size, size, channels];
  }
  return functional;
}

/** Height of the first image input, or null when the model accepts any size. */
export function inputSizeOf(topology: Topology): number | null {
  const input = toFunctional(topology).model_config.config.layers.find((l) => l.class_name === 'InputLayer');
  const shape = input?.config.batch_input_shape;
  return shape?.length === 4 ? shape[1] : null;
}

/**
 * Default cut for models without a hint: the input of the first layer (in file order) that lowers the tensor rank
 * (Flatten, global pooling, Reshape to fewer dims), stepping back over plain pooling right before it — i.e. the last
 * feature map before the classifier head. Without such a layer, the output itself if it is 4-D.
 */
export function featureMapLayer(topology: Topology): string {
  const layers = toFunctional(topology).model_config.config.layers;
  const byName = new Map(layers.map((l) => [l.name, l]));
  const ranks = new Map<string, number>();
  const rankOf = (name: string): number => {
    const known = ranks.get(name);
    if (known !== undefined) return known;
    const rank = outputRank(byName.get(name) as KerasLayer, rankOf);
    ranks.set(name, rank);
    return rank;
  };
  const reducer = layers.find((l) => l.class_name !== 'InputLayer' && rankOf(l.name) < rankOf(inboundNames(l)[0]));
  let candidate = reducer ? (byName.get(inboundNames(reducer)[0]) as KerasLayer) : layers[layers.length - 1];
  while (/^(Average|Max)Pooling2D$/.test(candidate.class_name)) candidate = byName.get(inboundNames(candidate)[0]) as KerasLayer;
  if (rankOf(candidate.name) !== 4) {
    throw new ModelError('found no 4-D feature map to cut at', 'cutLayer', 'Name the layer to use as features with cutLayer');
  }
  return candidate.name;
}

function outputRank(layer: KerasLayer, rankOf: (name: string) => number): number {
  const { class_name, config } = layer;
  if (class_name === 'InputLayer') return config.batch_input_shape?.length ?? 0;
  if (class_name === 'Flatten') return 2;
  if (class_name === 'Reshape') return (config.target_shape as unknown[]).length + 1;
  const inputRank = rankOf(inboundNames(layer)[0]);
  if (/^Global(Average|Max)Pooling[123]D$/.test(class_name) && !config.keepdims) return 2;
  return inputRank;
}
