// Layers that join several tensors of one shape: element-wise Add/Multiply/…, and Concatenate along one axis.
import type { Value } from '../graph';
import { onnxAxis } from '../layout';
import { type LayerConverter, Unsupported } from './types';

/** `variadic` ops take any number of inputs; Mul and Sub take two, so longer lists are chained. */
const elementwise = (op: string, variadic: boolean): LayerConverter => ({ graph, layer }, inputs) => {
  if (inputs.some((x) => x.shape.join('x') !== inputs[0].shape.join('x'))) throw new Unsupported(`joins tensors of different shapes (${inputs.map((x) => x.shape.join('×')).join(', ')})`);
  const names = inputs.map((x) => x.name);
  const name = variadic ? graph.node(op, names, {}, layer.name) : names.reduce((a, b) => graph.node(op, [a, b], {}, layer.name));
  return { name, shape: inputs[0].shape };
};

export const add = elementwise('Sum', true);
export const multiply = elementwise('Mul', false);
export const subtract = elementwise('Sub', false);
export const average = elementwise('Mean', true);
export const maximum = elementwise('Max', true);
export const minimum = elementwise('Min', true);

export const concatenate: LayerConverter = ({ graph, layer, config }, inputs) => {
  const kerasAxis = Number(config.axis ?? -1);
  const first = inputs[0];
  const axis = kerasAxis < 0 ? first.shape.length + 1 + kerasAxis : kerasAxis;
  const shape: Value['shape'] = first.shape.slice();
  shape[axis - 1] = inputs.reduce((sum, x) => sum + x.shape[axis - 1], 0);
  return { name: graph.node('Concat', inputs.map((x) => x.name), { axis: onnxAxis(kerasAxis, first) }, layer.name), shape };
};

