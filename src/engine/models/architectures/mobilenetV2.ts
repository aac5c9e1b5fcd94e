// MobileNetV2 as keras.applications builds it (Conv1 'same' with stride 2 pads like the older Conv1_pad + 'valid').
import { KerasGraph, type Node } from './graph';
import type { ArchitectureOptions } from './options';

const BN = { epsilon: 1e-3, momentum: 0.999 };

/** [filters, stride, expansion] of inverted residual blocks 0..16. */
const BLOCKS: [number, number, number][] = [
  [16, 1, 1], [24, 2, 6], [24, 1, 6], [32, 2, 6], [32, 1, 6], [32, 1, 6], [64, 2, 6], [64, 1, 6], [64, 1, 6], [64, 1, 6],
  [96, 1, 6], [96, 1, 6], [96, 1, 6], [160, 2, 6], [160, 1, 6], [160, 1, 6], [320, 1, 6],
];

/** Keras' _make_divisible: round to a multiple of 8, never more than 10% down. */
function makeDivisible(v: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * v ? rounded + divisor : rounded;
}

/** Keras' correct_pad for a 3×3 stride-2 convolution: one less on the top/left when the side is even. */
function correctPad(x: Node): [[number, number], [number, number]] {
  return [[x.shape[0] % 2, 1], [x.shape[1] % 2, 1]];
}

function invertedResidual(g: KerasGraph, input: Node, [filters, stride, expansion]: [number, number, number], alpha: number, id: number): Node {
  const inChannels = input.shape[2];
  const pointwise = makeDivisible(Math.trunc(filters * alpha));
  const prefix = id ? `block_${id}_` : 'expanded_conv_';
  let x = input;
  if (id) {
    x = g.conv2d(x, `${prefix}expand`, expansion * inChannels, { kernel: 1, padding: 'same', useBias: false });
    x = g.relu6(g.batchNorm(x, `${prefix}expand_BN`, BN), `${prefix}expand_relu`);
  }
  if (stride === 2) x = g.zeroPadding(x, `${prefix}pad`, correctPad(x));
  x = g.depthwiseConv2d(x, `${prefix}depthwise`, { kernel: 3, strides: stride, padding: stride === 1 ? 'same' : 'valid', useBias: false });
  x = g.relu6(g.batchNorm(x, `${prefix}depthwise_BN`, BN), `${prefix}depthwise_relu`);
  x = g.conv2d(x, `${prefix}project`, pointwise, { kernel: 1, padding: 'same', useBias: false });
  x = g.batchNorm(x, `${prefix}project_BN`, BN);
  return inChannels === pointwise && stride === 1 ? g.addTensors([input, x], `${prefix}add`) : x;
}

export function mobilenetV2({ inputSize, includeTop, alpha = 1, classes = 1000 }: ArchitectureOptions) {
  const g = new KerasGraph();
  const input = g.input([inputSize, inputSize, 3]);
  let x = g.conv2d(input, 'Conv1', makeDivisible(32 * alpha), { kernel: 3, strides: 2, padding: 'same', useBias: false });
  x = g.relu6(g.batchNorm(x, 'bn_Conv1', BN), 'Conv1_relu');
  BLOCKS.forEach((block, id) => (x = invertedResidual(g, x, block, alpha, id)));
  // No alpha below 1 on the last conv, as in the paper.
  x = g.conv2d(x, 'Conv_1', alpha > 1 ? makeDivisible(1280 * alpha) : 1280, { kernel: 1, useBias: false });
  x = g.relu6(g.batchNorm(x, 'Conv_1_bn', BN), 'out_relu');
  if (includeTop) x = g.dense(g.globalAveragePool(x, g.autoName('global_average_pooling2d')), 'predictions', classes, 'softmax');
  return g.topology(`mobilenetv2_${alpha.toFixed(2)}_${inputSize}`, input, x);
}
