// ResNet50 (v1) as keras.applications.resnet builds it since TF 2: `convN_blockM_*` names, bias in every conv.
import { KerasGraph, type Node } from './graph';
import type { ArchitectureOptions } from './options';

const BN = { axis: 3, epsilon: 1.001e-5 };

function residualBlock(g: KerasGraph, input: Node, filters: number, name: string, stride: number, convShortcut: boolean): Node {
  let shortcut = input;
  if (convShortcut) {
    shortcut = g.conv2d(input, `${name}_0_conv`, 4 * filters, { kernel: 1, strides: stride });
    shortcut = g.batchNorm(shortcut, `${name}_0_bn`, BN);
  }
  let x = g.conv2d(input, `${name}_1_conv`, filters, { kernel: 1, strides: stride });
  x = g.activation(g.batchNorm(x, `${name}_1_bn`, BN), `${name}_1_relu`, 'relu');
  x = g.conv2d(x, `${name}_2_conv`, filters, { kernel: 3, padding: 'same' });
  x = g.activation(g.batchNorm(x, `${name}_2_bn`, BN), `${name}_2_relu`, 'relu');
  x = g.batchNorm(g.conv2d(x, `${name}_3_conv`, 4 * filters, { kernel: 1 }), `${name}_3_bn`, BN);
  return g.activation(g.addTensors([shortcut, x], `${name}_add`), `${name}_out`, 'relu');
}

function stack(g: KerasGraph, x: Node, filters: number, blocks: number, stride: number, name: string): Node {
  x = residualBlock(g, x, filters, `${name}_block1`, stride, true);
  for (let i = 2; i <= blocks; i++) x = residualBlock(g, x, filters, `${name}_block${i}`, 1, false);
  return x;
}

export function resnet50({ inputSize, includeTop, classes = 1000 }: ArchitectureOptions) {
  const g = new KerasGraph();
  const input = g.input([inputSize, inputSize, 3]);
  let x = g.zeroPadding(input, 'conv1_pad', [[3, 3], [3, 3]]);
  x = g.conv2d(x, 'conv1_conv', 64, { kernel: 7, strides: 2 });
  x = g.activation(g.batchNorm(x, 'conv1_bn', BN), 'conv1_relu', 'relu');
  x = g.pool(g.zeroPadding(x, 'pool1_pad', [[1, 1], [1, 1]]), 'pool1_pool', 'Max', 3, 2);
  x = stack(g, x, 64, 3, 1, 'conv2');
  x = stack(g, x, 128, 4, 2, 'conv3');
  x = stack(g, x, 256, 6, 2, 'conv4');
  x = stack(g, x, 512, 3, 2, 'conv5');
  if (includeTop) x = g.dense(g.globalAveragePool(x, 'avg_pool'), 'predictions', classes, 'softmax');
  return g.topology('resnet50', input, x);
}
