// Keras activations as ONNX ops, as tfjs computes them (hard_sigmoid is 0.2x + 0.5 clipped, selu uses Keras' constants).
import type { OnnxGraph, Value } from '../graph';
import { onnxAxis } from '../layout';
import { type LayerConverter, Unsupported } from './types';

const SELU = { alpha: 1.6732632423543772, gamma: 1.0507009873554805 };

type Activation = (graph: OnnxGraph, x: string, name: string) => string;

const unary = (op: string, attributes = {}): Activation => (graph, x, name) => graph.node(op, [x], attributes, name);

/** ReLU capped at `max` (ReLU6 and Keras' ReLU layer with max_value). */
export function clip(graph: OnnxGraph, x: string, name: string, max: number): string {
  return graph.node('Clip', [x, graph.floats(`${name}_min`, [], [0]), graph.floats(`${name}_max`, [], [max])], {}, name);
}

const ACTIVATIONS: Record<string, Activation> = {
  relu: unary('Relu'),
  relu6: (graph, x, name) => clip(graph, x, name, 6),
  sigmoid: unary('Sigmoid'),
  tanh: unary('Tanh'),
  elu: unary('Elu', { alpha: { float: 1 } }),
  selu: unary('Selu', { alpha: { float: SELU.alpha }, gamma: { float: SELU.gamma } }),
  softplus: unary('Softplus'),
  softsign: unary('Softsign'),
  exponential: unary('Exp'),
  hard_sigmoid: unary('HardSigmoid', { alpha: { float: 0.2 }, beta: { float: 0.5 } }),
  swish: (graph, x, name) => graph.node('Mul', [x, graph.node('Sigmoid', [x], {}, `${name}_sigmoid`)], {}, name),
  mish: (graph, x, name) => graph.node('Mul', [x, graph.node('Tanh', [graph.node('Softplus', [x], {}, `${name}_softplus`)], {}, `${name}_tanh`)], {}, name),
  // 0.5·x·(1 + erf(x / √2)), the exact form tfjs computes.
  gelu: (graph, x, name) => {
    const erf = graph.node('Erf', [graph.node('Div', [x, graph.floats(`${name}_sqrt2`, [], [Math.SQRT2])], {}, `${name}_scaled`)], {}, `${name}_erf`);
    const onePlus = graph.node('Add', [erf, graph.floats(`${name}_one`, [], [1])], {}, `${name}_one_plus`);
    return graph.node('Mul', [graph.node('Mul', [x, onePlus], {}, `${name}_product`), graph.floats(`${name}_half`, [], [0.5])], {}, name);
  },
};

const activationKey = (activation: unknown) => (typeof activation === 'string' ? activation.toLowerCase() : 'linear');

/** The name of a layer's computation before its built-in activation, so the layer's name is its final output. */
export function preActivationName(layer: string, activation: unknown): string {
  return activationKey(activation) === 'linear' ? layer : `${layer}_preactivation`;
}

/** `value` through the named activation (a Keras layer's `activation` setting); linear adds nothing. */
export function activate(graph: OnnxGraph, value: Value, activation: unknown, name: string): Value {
  const key = activationKey(activation);
  if (key === 'linear') return value;
  if (key === 'softmax') return { name: graph.node('Softmax', [value.name], { axis: onnxAxis(-1, value) }, name), shape: value.shape };
  const op = ACTIVATIONS[key];
  if (!op) throw new Unsupported(`uses the activation "${key}", which the ONNX export does not write (it writes linear, softmax, ${Object.keys(ACTIVATIONS).join(', ')})`);
  return { name: op(graph, value.name, name), shape: value.shape };
}

export const activationLayer: LayerConverter = ({ graph, layer, config }, [x]) => activate(graph, x, config.activation, layer.name);

export const reluLayer: LayerConverter = ({ graph, layer, config }, [x]) => {
  if (Number(config.threshold ?? 0) !== 0 || Number(config.negative_slope ?? 0) !== 0) throw new Unsupported('has a threshold or negative slope, which the ONNX export does not write');
  const max = config.max_value;
  const name = typeof max === 'number' ? clip(graph, x.name, layer.name, max) : graph.node('Relu', [x.name], {}, layer.name);
  return { name, shape: x.shape };
};

export const leakyReluLayer: LayerConverter = ({ graph, layer, config }, [x]) =>
  ({ name: graph.node('LeakyRelu', [x.name], { alpha: { float: Number(config.alpha ?? 0.3) } }, layer.name), shape: x.shape });

export const eluLayer: LayerConverter = ({ graph, layer, config }, [x]) =>
  ({ name: graph.node('Elu', [x.name], { alpha: { float: Number(config.alpha ?? 1) } }, layer.name), shape: x.shape });

export const softmaxLayer: LayerConverter = ({ graph, layer, config }, [x]) => {
  const axis = config.axis;
  if (Array.isArray(axis) && axis.length !== 1) throw new Unsupported('takes softmax over several axes, which ONNX Softmax does not');
  const kerasAxis = Array.isArray(axis) ? Number(axis[0]) : Number(axis ?? -1);
  return { name: graph.node('Softmax', [x.name], { axis: onnxAxis(kerasAxis, x) }, layer.name), shape: x.shape };
};
