// Conv2D, DepthwiseConv2D (a grouped Conv, one group per input channel) and SeparableConv2D (depthwise then 1×1).
import type { OnnxGraph, Value } from '../graph';
import { activate, preActivationName } from './activations';
import { type LayerContext, type LayerConverter, type LayerWeights, Unsupported, required } from './types';
import { type Window, slidingWindow } from './window';

/** tfjs kernel [kh, kw, in, out] → ONNX weight [out, in, kh, kw]. */
function toOihw({ shape: [kh, kw, inC, outC], values }: LayerWeights): Float32Array {
  const out = new Float32Array(values.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < inC; i++)
        for (let o = 0; o < outC; o++) out[((o * inC + i) * kh + y) * kw + x] = values[((y * kw + x) * inC + i) * outC + o];
  return out;
}

/** tfjs depthwise kernel [kh, kw, in, multiplier] → ONNX grouped weight [in × multiplier, 1, kh, kw]; channel i·m + j as TF orders it. */
function depthwiseToOihw({ shape: [kh, kw, inC, mult], values }: LayerWeights): LayerWeights {
  return { shape: [inC * mult, 1, kh, kw], values: toOihw({ shape: [kh, kw, 1, inC * mult], values }) };
}

function conv(graph: OnnxGraph, x: Value, name: string, weight: LayerWeights, bias: LayerWeights | undefined, window: Window, group: number): Value {
  const inputs = [x.name, graph.floats(`${name}_weight`, weight.shape, weight.values)];
  if (bias) inputs.push(graph.floats(`${name}_bias`, bias.shape, bias.values));
  const attributes = { kernel_shape: window.kernel, strides: window.strides, dilations: window.dilations, pads: window.pads, group };
  return { name: graph.node('Conv', inputs, attributes, name), shape: [...window.out, weight.shape[0]] };
}

function checkGroups(config: Record<string, unknown>): void {
  if (Number(config.groups ?? 1) !== 1) throw new Unsupported('is a grouped convolution, which the ONNX export does not write');
}

function finish(context: LayerContext, y: Value): Value {
  return activate(context.graph, y, context.config.activation, context.layer.name);
}

const convName = (context: LayerContext) => preActivationName(context.layer.name, context.config.activation);

export const conv2d: LayerConverter = (context, [x]) => {
  checkGroups(context.config);
  const kernel = required(context, 'kernel');
  const window = slidingWindow(context.config, 'kernel_size', x.shape);
  const weight = { shape: [kernel.shape[3], kernel.shape[2], kernel.shape[0], kernel.shape[1]], values: toOihw(kernel) };
  return finish(context, conv(context.graph, x, convName(context), weight, context.weight('bias'), window, 1));
};

export const depthwiseConv2d: LayerConverter = (context, [x]) => {
  const window = slidingWindow(context.config, 'kernel_size', x.shape);
  const weight = depthwiseToOihw(required(context, 'depthwise_kernel'));
  return finish(context, conv(context.graph, x, convName(context), weight, context.weight('bias'), window, x.shape[2]));
};

export const separableConv2d: LayerConverter = (context, [x]) => {
  const window = slidingWindow(context.config, 'kernel_size', x.shape);
  const { graph, layer } = context;
  const depthwise = conv(graph, x, `${layer.name}_depthwise`, depthwiseToOihw(required(context, 'depthwise_kernel')), undefined, window, x.shape[2]);
  const pointwise = required(context, 'pointwise_kernel');
  if (pointwise.shape[0] !== 1 || pointwise.shape[1] !== 1) throw new Unsupported('has a pointwise kernel that is not 1×1');
  const weight = { shape: [pointwise.shape[3], pointwise.shape[2], 1, 1], values: toOihw(pointwise) };
  const unit: Window = { kernel: [1, 1], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], out: window.out };
  return finish(context, conv(graph, depthwise, convName(context), weight, context.weight('bias'), unit, 1));
};
