// InceptionV3 as keras.applications builds it. Its convolutions are unnamed in Keras, so they carry Keras 2's
// automatic names (conv2d_1 … conv2d_94): the names in the published weight files and in the nsfwjs checkpoint.
import { KerasGraph, type Node } from './graph';
import type { ArchitectureOptions } from './options';

type Conv = (x: Node, filters: number, rows: number, cols: number, opts?: { strides?: number; padding?: 'same' | 'valid' }) => Node;

function convBn(g: KerasGraph): Conv {
  return (x, filters, rows, cols, { strides = 1, padding = 'same' } = {}) => {
    x = g.conv2d(x, g.autoName('conv2d'), filters, { kernel: [rows, cols], strides, padding, useBias: false });
    x = g.batchNorm(x, g.autoName('batch_normalization'), { axis: 3, scale: false });
    return g.activation(x, g.autoName('activation'), 'relu');
  };
}

export function inceptionV3({ inputSize, includeTop, classes = 1000 }: ArchitectureOptions) {
  const g = new KerasGraph();
  const conv = convBn(g);
  const maxPool = (x: Node) => g.pool(x, g.autoName('max_pooling2d'), 'Max', 3, 2);
  const avgPool = (x: Node) => g.pool(x, g.autoName('average_pooling2d'), 'Average', 3, 1, 'same');
  const valid = { padding: 'valid' as const };
  const stride2 = { strides: 2, padding: 'valid' as const };

  const input = g.input([inputSize, inputSize, 3]);
  let x = conv(input, 32, 3, 3, stride2);
  x = conv(x, 32, 3, 3, valid);
  x = maxPool(conv(x, 64, 3, 3));
  x = conv(x, 80, 1, 1, valid);
  x = maxPool(conv(x, 192, 3, 3, valid));

  // mixed0..2: 35×35
  for (const [i, poolFilters] of [32, 64, 64].entries()) {
    const b1 = conv(x, 64, 1, 1);
    const b5 = conv(conv(x, 48, 1, 1), 64, 5, 5);
    const b3 = conv(conv(conv(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
    const bp = conv(avgPool(x), poolFilters, 1, 1);
    x = g.concatenate([b1, b5, b3, bp], `mixed${i}`);
  }

  // mixed3: 17×17
  {
    const b3 = conv(x, 384, 3, 3, stride2);
    const b3d = conv(conv(conv(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, stride2);
    x = g.concatenate([b3, b3d, maxPool(x)], 'mixed3');
  }

  // mixed4..7: 17×17 with factorised 7×7
  for (const [i, f] of [128, 160, 160, 192].entries()) {
    const b1 = conv(x, 192, 1, 1);
    const b7 = conv(conv(conv(x, f, 1, 1), f, 1, 7), 192, 7, 1);
    const b7d = conv(conv(conv(conv(conv(x, f, 1, 1), f, 7, 1), f, 1, 7), f, 7, 1), 192, 1, 7);
    const bp = conv(avgPool(x), 192, 1, 1);
    x = g.concatenate([b1, b7, b7d, bp], `mixed${4 + i}`);
  }

  // mixed8: 8×8
  {
    const b3 = conv(conv(x, 192, 1, 1), 320, 3, 3, stride2);
    const b7 = conv(conv(conv(conv(x, 192, 1, 1), 192, 1, 7), 192, 7, 1), 192, 3, 3, stride2);
    x = g.concatenate([b3, b7, maxPool(x)], 'mixed8');
  }

  // mixed9, mixed10: 8×8
  for (let i = 0; i < 2; i++) {
    const b1 = conv(x, 320, 1, 1);
    const b3 = conv(x, 384, 1, 1);
    const b3cat = g.concatenate([conv(b3, 384, 1, 3), conv(b3, 384, 3, 1)], `mixed9_${i}`);
    const b3d = conv(conv(x, 448, 1, 1), 384, 3, 3);
    const b3dcat = g.concatenate([conv(b3d, 384, 1, 3), conv(b3d, 384, 3, 1)], g.autoName('concatenate'));
    const bp = conv(avgPool(x), 192, 1, 1);
    x = g.concatenate([b1, b3cat, b3dcat, bp], `mixed${9 + i}`);
  }

  if (includeTop) x = g.dense(g.globalAveragePool(x, 'avg_pool'), 'predictions', classes, 'softmax');
  return g.topology('inception_v3', input, x);
}
