// Runs a frozen tfjs Layers model as a list of ops with each BatchNormalization (and the ReLU after it) folded into
// the conv before it, and each ZeroPadding2D into the conv after it. On wasm, MobileNetV2's 52 BatchNorms cost about
// as much as its convs; once the weights no longer change they are a per-channel scale and shift of the conv's
// filter and bias, and XNNPACK clamps for ReLU6 inside the conv. Results match the layers within float rounding.
import * as tf from '@tensorflow/tfjs';
import { graphSteps, type GraphStep } from '../models/layerTree';

type Symbolic = tf.SymbolicTensor;

interface Op {
  inputs: Symbolic[];
  output: Symbolic;
  run(inputs: tf.Tensor[]): tf.Tensor;
}

export interface FrozenGraph {
  run(input: tf.Tensor): tf.Tensor;
  /** Conv layers that absorbed a BatchNormalization. */
  readonly folded: number;
  dispose(): void;
}

type ConvConfig = { strides: [number, number]; padding: 'same' | 'valid'; dilationRate: [number, number]; useBias: boolean; activation: string };
type BatchNormConfig = { axis: number; epsilon: number; center: boolean; scale: boolean };

const CONVS = new Set(['Conv2D', 'DepthwiseConv2D']);

function configOf<T>(step: GraphStep): T {
  return step.layer.getConfig() as unknown as T;
}

/** γ / √(variance + ε) and β − mean · that, from a BatchNormalization layer's weights (call inside a tidy). */
function batchNormAffine(step: GraphStep): { scale: tf.Tensor1D; shift: tf.Tensor1D } {
  const { epsilon, center, scale } = configOf<BatchNormConfig>(step);
  const weights = step.layer.getWeights();
  const gamma = scale ? weights.shift()! : undefined;
  const beta = center ? weights.shift()! : undefined;
  const [mean, variance] = weights;
  const factor = tf.mul(tf.rsqrt(tf.add(variance, epsilon)), gamma ?? 1) as tf.Tensor1D;
  return { scale: factor, shift: tf.sub(beta ?? 0, tf.mul(mean, factor)) as tf.Tensor1D };
}

/** The activation a conv can clamp to in place of `step`: a ReLU layer (max 6 or none), or Keras' Activation('relu')
 * (ResNet50's and InceptionV3's, one per conv). */
function foldedActivation(step: GraphStep): 'relu' | 'relu6' | undefined {
  const config = step.layer.getConfig() as { maxValue?: number; activation?: string };
  if (step.layer.getClassName() === 'Activation') return config.activation === 'relu' ? 'relu' : undefined;
  if (step.layer.getClassName() !== 'ReLU' || (config.maxValue !== undefined && config.maxValue !== 6)) return undefined;
  return config.maxValue === 6 ? 'relu6' : 'relu';
}

export function foldFrozenGraph(model: tf.LayersModel, outputLayer?: string): FrozenGraph {
  const all = graphSteps(model);
  if (all.some((s) => s.nodes.length !== 1)) throw new Error(`${model.name}: a layer runs more than once; cannot fold it`);
  const last = outputLayer === undefined ? all.length - 1 : all.findIndex((s) => s.layer.name === outputLayer);
  if (last < 0) throw new Error(`${model.name} has no layer named ${outputLayer}`);
  const steps = all.slice(0, last + 1);
  const output = steps[last].nodes[0].outputTensors[0];
  const consumers = new Map<Symbolic, GraphStep[]>();
  for (const step of steps) for (const t of step.nodes[0].inputTensors) consumers.set(t, [...(consumers.get(t) ?? []), step]);
  /** The one layer that reads `t`, unless `t` is also the graph's output. */
  const soleReader = (t: Symbolic) => (t !== output && consumers.get(t)?.length === 1 ? consumers.get(t)![0] : undefined);

  const kept: tf.Tensor[] = [];
  const ops: Op[] = [];
  const absorbed = new Set<tf.layers.Layer>();
  const padding = new Map<tf.layers.Layer, { input: Symbolic; pads: [[number, number], [number, number]] }>();
  let folded = 0;
  for (const step of steps) {
    const { layer, nodes: [node] } = step;
    if (absorbed.has(layer) || layer.getClassName() === 'InputLayer') continue;
    const [input] = node.inputTensors;
    const out = node.outputTensors[0];
    const reader = soleReader(out);
    if (layer.getClassName() === 'ZeroPadding2D' && reader && CONVS.has(reader.layer.getClassName()) && configOf<ConvConfig>(reader).padding === 'valid') {
      padding.set(reader.layer, { input, pads: (layer.getConfig() as { padding: [[number, number], [number, number]] }).padding });
      continue;
    }
    if (!CONVS.has(layer.getClassName())) {
      ops.push({ inputs: node.inputTensors, output: out, run: (xs) => layer.call(xs.length === 1 ? xs[0] : xs, { training: false }) as tf.Tensor });
      continue;
    }
    const config = configOf<ConvConfig>(step);
    const weights = layer.getWeights();
    let filter = weights[0];
    let bias: tf.Tensor | undefined = config.useBias ? weights[1] : undefined;
    let end = out;
    let activation: 'linear' | 'relu' | 'relu6' = config.activation === 'relu' ? 'relu' : 'linear';
    const norm = config.activation === 'linear' && reader?.layer.getClassName() === 'BatchNormalization' ? reader : undefined;
    if (norm && [-1, 3].includes(configOf<BatchNormConfig>(norm).axis)) {
      const depthwise = layer.getClassName() === 'DepthwiseConv2D';
      const [, , channels, multiplier] = filter.shape as number[];
      [filter, bias] = tf.tidy(() => {
        const { scale, shift } = batchNormAffine(norm);
        return [tf.mul(filter, depthwise ? tf.reshape(scale, [channels, multiplier]) : scale), tf.add(tf.mul(bias ?? 0, scale), shift)];
      });
      kept.push(filter, bias!);
      absorbed.add(norm.layer);
      folded += 1;
      end = norm.nodes[0].outputTensors[0];
      const relu = soleReader(end);
      const folds = relu && foldedActivation(relu);
      if (folds) {
        absorbed.add(relu.layer);
        activation = folds;
        end = relu.nodes[0].outputTensors[0];
      }
    }
    const padded = padding.get(layer);
    const pad: 'same' | 'valid' | tf.backend_util.ExplicitPadding = padded ? [[0, 0], ...padded.pads, [0, 0]] : config.padding;
    // tfjs' typings omit explicit padding for fused ops; their kernels take it.
    const args = { filter: filter as tf.Tensor4D, bias, strides: config.strides, pad: pad as 'same', dilations: config.dilationRate, activation, dataFormat: 'NHWC' as const };
    ops.push({
      inputs: [padded?.input ?? input],
      output: end,
      run: ([x]) => (layer.getClassName() === 'DepthwiseConv2D' ? tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, ...args }) : tf.fused.conv2d({ x: x as tf.Tensor4D, ...args })),
    });
  }

  const modelInput = model.inputs[0];
  // Each intermediate is freed after its last reader: only the activations still needed are alive at once.
  const lastRead = new Map<Symbolic, number>();
  ops.forEach((op, i) => op.inputs.forEach((t) => lastRead.set(t, i)));
  return {
    folded,
    run: (input) => tf.tidy(() => {
      const values = new Map<Symbolic, tf.Tensor>([[modelInput, input]]);
      ops.forEach((op, i) => {
        values.set(op.output, op.run(op.inputs.map((t) => values.get(t)!)));
        for (const t of op.inputs) if (t !== modelInput && lastRead.get(t) === i) values.get(t)!.dispose();
      });
      return values.get(output)!;
    }),
    dispose: () => tf.dispose(kept),
  };
}
