// A run's exported tfjs Layers classifier (base → pooling → head → softmax) as one ONNX model, layer by layer.
import { ModelError } from '../../models/errors';
import { weightsByLayer } from '../../models/keras/exportParts';
import type { LayersArtifacts } from '../../models/layersFiles';
import { type KerasLayer, toFunctional, type Topology } from '../../models/surgery';
import type { ModelCard } from '../../training/artifacts';
import { OnnxGraph, type Value } from './graph';
import { LAYER_CONVERTERS } from './layers';
import { type LayerWeights, Unsupported } from './layers/types';
import { preprocessingOps } from './preprocessing';

export const INPUT_NAME = 'pixels';
export const OUTPUT_NAME = 'probabilities';
const NESTED_MODELS = new Set(['Model', 'Functional', 'Sequential']);
const FIX = 'Export as .keras, .h5 or tfjs instead, or pick a base built from layers the ONNX export writes';

function inputLayer(graph: OnnxGraph, layer: KerasLayer, card: ModelCard): Value {
  const [, height, width, channels] = layer.config.batch_input_shape ?? [];
  const shape = [height ?? card.inputSize, width ?? card.inputSize, channels ?? 3];
  if (shape[2] !== 3) throw new Unsupported(`takes ${shape[2]} channels, not RGB`);
  return { name: preprocessingOps(graph, INPUT_NAME, card.preprocessing), shape };
}

function inboundLayers(layer: KerasLayer): string[] {
  if (layer.inbound_nodes.length > 1) throw new Unsupported(`is shared (applied ${layer.inbound_nodes.length} times), which the ONNX export does not write`);
  return (layer.inbound_nodes[0] ?? []).map((ref) => {
    if (ref[1] !== 0 || ref[2] !== 0) throw new Unsupported(`takes output ${ref[2]} of node ${ref[1]} of "${ref[0]}"; the ONNX export writes single-output layers applied once`);
    return ref[0];
  });
}

function convertLayer(graph: OnnxGraph, layer: KerasLayer, inputs: Value[], weights: Map<string, LayerWeights>): Value {
  if (NESTED_MODELS.has(layer.class_name)) throw new Unsupported('is a nested model; the ONNX export writes flat models');
  const convert = LAYER_CONVERTERS[layer.class_name];
  if (!convert) throw new Unsupported(`is a ${layer.class_name}, a layer the ONNX export does not write`);
  return convert({ graph, layer, config: layer.config, weight: (role) => weights.get(role) }, inputs);
}

/** The classifier's ONNX bytes: input `pixels` [batch, H, W, 3] float32 RGB 0–255, output `probabilities` [batch, classes]. */
export function toOnnx(artifacts: LayersArtifacts, card: ModelCard, file: string): Uint8Array {
  const config = toFunctional(artifacts.modelTopology as Topology).model_config.config;
  if (config.input_layers.length !== 1 || config.output_layers.length !== 1) {
    throw new ModelError(`has ${config.input_layers.length} inputs and ${config.output_layers.length} outputs; the ONNX export writes one image in, one probability vector out`, file, FIX);
  }
  const layerWeights = weightsByLayer(artifacts, config.layers.map((l) => l.name), file);
  const graph = new OnnxGraph([INPUT_NAME, OUTPUT_NAME]);
  const values = new Map<string, Value>();
  for (const layer of config.layers) {
    try {
      const byRole = new Map((layerWeights.get(layer.name) ?? []).map((w) => [w.name.slice(layer.name.length + 1), w]));
      const value = layer.class_name === 'InputLayer' ? inputLayer(graph, layer, card)
        : convertLayer(graph, layer, inboundLayers(layer).map((name) => values.get(name)!), byRole);
      values.set(layer.name, value);
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      throw new ModelError(`layer "${layer.name}" ${error.message}`, file, FIX);
    }
  }
  const output = values.get(config.output_layers[0][0])!;
  if (output.shape.length !== 1) throw new ModelError(`ends in a ${output.shape.join('×')} tensor, not a vector of class probabilities`, file, FIX);
  const probabilities = graph.output(output.name, OUTPUT_NAME);
  const metadata = {
    classes: JSON.stringify(card.classes),
    input: `${INPUT_NAME}: float32 [batch, ${card.inputSize}, ${card.inputSize}, 3], RGB pixels 0-255 (the image squashed to the size, no crop); ${card.preprocessing} scaling is inside the model`,
    preprocessing: card.preprocessing,
    base: card.base,
    feature_layer: card.featureLayer,
  };
  return graph.model({ name: INPUT_NAME, dims: ['batch', card.inputSize, card.inputSize, 3] }, { name: probabilities, dims: ['batch', output.shape[0]] }, metadata,
    `Transfer Lab image classifier over ${card.classes.length} classes (${card.classes.join(', ')}), base ${card.base}`);
}
