// Dense: Gemm on vectors; on images and sequences a MatMul over the last (channels) axis.
import { channelsLast, fromChannelsLast } from '../layout';
import { activate, preActivationName } from './activations';
import { type LayerConverter, required } from './types';

export const dense: LayerConverter = (context, [x]) => {
  const { graph, layer, config } = context;
  const kernel = required(context, 'kernel');
  const units = kernel.shape[1];
  const bias = context.weight('bias');
  const w = graph.floats(`${layer.name}_kernel`, kernel.shape, kernel.values);
  const b = bias ? graph.floats(`${layer.name}_bias`, bias.shape, bias.values) : undefined;
  const shape = [...x.shape.slice(0, -1), units];
  const name = preActivationName(layer.name, config.activation);
  let y;
  if (x.shape.length === 1) {
    y = { name: graph.node('Gemm', b ? [x.name, w, b] : [x.name, w], {}, name), shape };
  } else {
    const product = graph.node('MatMul', [channelsLast(graph, x), w], {}, `${name}_nhwc`);
    y = fromChannelsLast(graph, b ? graph.node('Add', [product, b], {}, `${name}_biased`) : product, shape);
  }
  return activate(graph, y, config.activation, layer.name);
};
