// A flat, serialisable description of a model's layers, grouped into the blocks a user freezes and unfreezes.
import * as tf from '@tensorflow/tfjs';

type Shape = (number | null)[];
type Layer = tf.layers.Layer;

export interface LayerInfo {
  index: number;
  name: string;
  className: string;
  outputShape: Shape | Shape[];
  /** All weights, including non-trainable ones (BatchNormalization moving statistics). */
  params: number;
  /** Weights that train when the layer is unfrozen: `params` minus always-frozen statistics. */
  trainableParams: number;
  trainable: boolean;
  block: string;
  /** BatchNormalization runs in inference mode even when unfrozen (Keras' fine-tuning guidance). */
  inferenceOnly?: true;
}

export interface ParamSummary { total: number; trainable: number; frozen: number }

export type GraphNode = Layer['inboundNodes'][number];
/** A layer at its topological position with the node(s) through which it runs inside the model. */
export type GraphStep = { layer: Layer; nodes: GraphNode[] };

/** `model.layers` with their nodes in `model` (a layer also applied by another model has more nodes overall). */
export function graphSteps(model: tf.LayersModel): GraphStep[] {
  return model.layers.map((layer) => ({
    layer,
    nodes: layer.inboundNodes.filter((_, i) => model.containerNodes.has(`${layer.name}_ib-${i}`)),
  }));
}

/**
 * Positions of layers whose single output is the only tensor, produced there or earlier, that later layers
 * (or the model's outputs) consume. Inputs and output layers are never cuts: they would leave a side empty.
 */
export function cutPositions(model: tf.LayersModel, steps: readonly GraphStep[]): number[] {
  const born = new Map<tf.SymbolicTensor, number>();
  const lastUse = new Map<tf.SymbolicTensor, number>();
  steps.forEach(({ nodes }, p) => nodes.forEach((node) => {
    for (const t of node.inputTensors) lastUse.set(t, p);
    // Model inputs count as live from the start, wherever depth-sorting placed their InputLayer.
    for (const t of node.outputTensors) born.set(t, node.inboundLayers.length === 0 ? -1 : p);
  }));
  for (const t of model.outputs) lastUse.set(t, Infinity);
  const liveAfter = (p: number) => [...born].filter(([t, b]) => b <= p && (lastUse.get(t) ?? -1) > p).map(([t]) => t);

  return steps.flatMap(({ nodes }, p) => {
    const outputs = nodes.flatMap((node) => node.outputTensors);
    if (outputs.length !== 1 || nodes[0].inboundLayers.length === 0 || model.outputs.includes(outputs[0])) return [];
    const live = liveAfter(p);
    return live.length === 1 && live[0] === outputs[0] ? [p] : [];
  });
}

/** Every layer of `model` in topological order (Keras' `model.layers`). */
export function describeLayers(model: tf.LayersModel): LayerInfo[] {
  const steps = graphSteps(model);
  const blocks = assignBlocks(model.layers.map((l) => ({ name: l.name, className: l.getClassName() })), cutPositions(model, steps));
  return steps.map(({ layer, nodes }, index) => {
    const params = layer.countParams();
    const info: LayerInfo = {
      index,
      name: layer.name,
      className: layer.getClassName(),
      outputShape: outputShapeOf(nodes[0]),
      params,
      trainableParams: params - countWeights(alwaysFrozenWeights(layer)),
      trainable: layer.trainable,
      block: blocks[index],
    };
    if (info.className === 'BatchNormalization') info.inferenceOnly = true;
    return info;
  });
}

function outputShapeOf(node: GraphNode): Shape | Shape[] {
  const shapes = node.outputTensors.map((t) => [...t.shape]);
  return shapes.length === 1 ? shapes[0] : shapes;
}

// tfjs hides a frozen layer's trainable/non-trainable split behind its current `trainable` flag; this list does not change.
function alwaysFrozenWeights(layer: Layer): tf.LayerVariable[] {
  return (layer as unknown as { _nonTrainableWeights: tf.LayerVariable[] })._nonTrainableWeights;
}

function countWeights(weights: tf.LayerVariable[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

const MIXED = /^mixed\d+$/;

/**
 * Block name of each layer, given in topological order. InceptionV3 is positional: the layers after mixed(N-1)
 * up to mixedN form mixedN, and the stem ends at the last single-tensor cut (`cuts`) before mixed0.
 */
export function assignBlocks(layers: readonly { name: string; className?: string }[], cuts: readonly number[] = []): string[] {
  const firstMixed = layers.findIndex((l) => MIXED.test(l.name));
  const stemEnd = Math.max(-1, ...cuts.filter((p) => p < firstMixed));
  const byWeightedLayer = weightedLayerBlocks(layers);
  let mixedBlock = 'top'; // layers after the last mixedN
  return [...layers].reverse().map(({ name, className }, reversedIndex) => {
    if (MIXED.test(name)) mixedBlock = name;
    if (className === 'InputLayer') return 'stem';
    const byName = namedBlock(name) ?? byWeightedLayer[layers.length - 1 - reversedIndex] ?? prefixBlock(name);
    if (firstMixed < 0 || byName === 'head') return byName;
    return layers.length - 1 - reversedIndex <= stemEnd ? 'stem' : mixedBlock;
  }).reverse();
}

/** Layers that start a block of a model whose names say nothing (Keras' automatic `conv2d_12`, `leaky_re_lu_3`). */
const WEIGHTED = new Set(['Conv1D', 'Conv2D', 'Conv3D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose', 'Dense']);

/** Keras' and tfjs' toSnakeCase: the prefix of a layer's automatic name. */
function snakeCase(className: string): string {
  return className.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * For automatically named layers, a block is a weighted layer (a convolution or dense layer) and the normalisation,
 * activation and pooling layers after it, named after it: grouping by name prefix would put every convolution in
 * one "conv2d" block and every activation in a weightless "leaky_re_lu" block, so "the top 2 blocks" unfroze nothing.
 */
function weightedLayerBlocks(layers: readonly { name: string; className?: string }[]): (string | undefined)[] {
  let current: string | undefined; // a named layer ends the run: what follows it is judged by its own name
  return layers.map(({ name, className }) => {
    // Keras files: conv2d_12; tfjs in code: conv2d_Conv2D12
    const automatic = className !== undefined && new RegExp(`^${snakeCase(className)}(_(${className})?\\d+)?$`).test(name);
    if (!automatic) current = undefined;
    else if (WEIGHTED.has(className)) current = name;
    return current;
  });
}

/** Block of a layer from its name alone (Keras applications' naming). */
export function blockOf(name: string): string {
  return namedBlock(name) ?? prefixBlock(name);
}

function namedBlock(name: string): string | undefined {
  const rules: [RegExp, (m: RegExpMatchArray) => string][] = [
    [/^head(_|$)/, () => 'head'],
    [/^(block_\d+)_/, (m) => m[1]],
    [/^expanded_conv(_|$)/, () => 'block_0'],
    [/^(Conv1|bn_Conv1|input|conv1|pool1)(_|$)/, () => 'stem'],
    [/^(Conv_1|out_relu)(_|$)/, () => 'top'],
    [/^(conv\d+_block\d+)_/, (m) => m[1]],
    [/^conv_(dw|pw|pad)_(\d+)(_|$)/, (m) => `block_${m[2]}`],
    // Keras classifier tops (include_top): VGG's fc layers, ResNet's avg_pool, MobileNet's reshape/conv_preds.
    [/^(flatten|fc\d+|predictions|avg_pool|global_\w+|reshape_\d+|dropout|conv_preds)$/, () => 'top'],
  ];
  for (const [pattern, block] of rules) {
    const match = name.match(pattern);
    if (match) return block(match);
  }
  return undefined;
}

/** A name's prefix before its last underscore: "block1_conv2" → "block1". */
function prefixBlock(name: string): string {
  const cut = name.lastIndexOf('_');
  return cut > 0 ? name.slice(0, cut) : 'stem';
}

/** Parameter counts if exactly the layers named in `trainable` were unfrozen (Keras' summary semantics). */
export function summarizeParams(layers: readonly LayerInfo[], trainable: ReadonlySet<string>): ParamSummary {
  const total = layers.reduce((sum, l) => sum + l.params, 0);
  const train = layers.reduce((sum, l) => sum + (trainable.has(l.name) ? l.trainableParams : 0), 0);
  return { total, trainable: train, frozen: total - train };
}
