// MobileNet (v1) as keras.applications builds it; the top is TF 2.x Keras' Reshape form of Keras 3's
// GlobalAveragePooling2D(keepdims=True) (same weights and outputs), because tfjs' pooling has no keepdims.
import { KerasGraph, type Node } from './graph';
import type { ArchitectureOptions } from './options';

/** [pointwise filters, stride] of depthwise blocks 1..13. */
const BLOCKS: [number, number][] = [
  [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1],
];

function depthwiseBlock(g: KerasGraph, x: Node, filters: number, stride: number, id: number): Node {
  if (stride !== 1) x = g.zeroPadding(x, `conv_pad_${id}`, [[0, 1], [0, 1]]);
  x = g.depthwiseConv2d(x, `conv_dw_${id}`, { kernel: 3, strides: stride, padding: stride === 1 ? 'same' : 'valid', useBias: false });
  x = g.relu6(g.batchNorm(x, `conv_dw_${id}_bn`), `conv_dw_${id}_relu`);
  x = g.conv2d(x, `conv_pw_${id}`, filters, { kernel: 1, padding: 'same', useBias: false });
  return g.relu6(g.batchNorm(x, `conv_pw_${id}_bn`), `conv_pw_${id}_relu`);
}

export function mobilenet({ inputSize, includeTop, alpha = 1, classes = 1000 }: ArchitectureOptions) {
  const g = new KerasGraph();
  const input = g.input([inputSize, inputSize, 3]);
  let x = g.conv2d(input, 'conv1', Math.trunc(32 * alpha), { kernel: 3, strides: 2, padding: 'same', useBias: false });
  x = g.relu6(g.batchNorm(x, 'conv1_bn'), 'conv1_relu');
  BLOCKS.forEach(([filters, stride], i) => (x = depthwiseBlock(g, x, Math.trunc(filters * alpha), stride, i + 1)));
  if (includeTop) {
    x = g.reshape(g.globalAveragePool(x, g.autoName('global_average_pooling2d')), 'reshape_1', [1, 1, x.shape[2]]);
    x = g.conv2d(g.dropout(x, 'dropout', 1e-3), 'conv_preds', classes, { kernel: 1, padding: 'same' });
    x = g.activation(g.reshape(x, 'reshape_2', [classes]), 'predictions', 'softmax');
  }
  return g.topology(`mobilenet_${alpha.toFixed(2)}_${inputSize}`, input, x);
}
