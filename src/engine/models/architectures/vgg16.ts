// VGG16 as keras.applications builds it: five conv blocks, then (include_top) Flatten and three Dense layers.
import { KerasGraph } from './graph';
import type { ArchitectureOptions } from './options';

const BLOCKS: [filters: number, convs: number][] = [[64, 2], [128, 2], [256, 3], [512, 3], [512, 3]];

export function vgg16({ inputSize, includeTop, classes = 1000 }: ArchitectureOptions) {
  const g = new KerasGraph();
  const input = g.input([inputSize, inputSize, 3]);
  let x = input;
  BLOCKS.forEach(([filters, convs], b) => {
    for (let c = 1; c <= convs; c++) x = g.conv2d(x, `block${b + 1}_conv${c}`, filters, { kernel: 3, padding: 'same', activation: 'relu' });
    x = g.pool(x, `block${b + 1}_pool`, 'Max', 2, 2);
  });
  if (includeTop) {
    x = g.flatten(x, 'flatten');
    x = g.dense(x, 'fc1', 4096, 'relu');
    x = g.dense(x, 'fc2', 4096, 'relu');
    x = g.dense(x, 'predictions', classes, 'softmax');
  }
  return g.topology('vgg16', input, x);
}
