// Layers that move data without computing: Flatten and Reshape (in Keras' channels-last order), ZeroPadding2D,
// and the ones that are the identity at inference (Dropout and its kin).
import type { Value } from '../graph';
import { channelsLast, fromChannelsLast } from '../layout';
import { type LayerConverter, Unsupported } from './types';

export const identity: LayerConverter = (_context, [x]) => x;

export const flatten: LayerConverter = ({ graph, layer }, [x]) => {
  if (x.shape.length === 1) return x;
  return { name: graph.node('Flatten', [channelsLast(graph, x)], { axis: 1 }, layer.name), shape: [x.shape.reduce((a, b) => a * b, 1)] };
};

export const reshape: LayerConverter = ({ graph, layer, config }, [x]) => {
  const target = (config.target_shape as number[]).slice();
  const size = x.shape.reduce((a, b) => a * b, 1);
  const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const shape = target.map((d) => (d === -1 ? size / known : d));
  if (shape.reduce((a, b) => a * b, 1) !== size) throw new Unsupported(`reshapes ${x.shape.join('×')} to ${target.join('×')}, which do not hold the same number of values`);
  // 0 keeps the batch axis as it is.
  const reshaped = graph.node('Reshape', [channelsLast(graph, x), graph.int64s(`${layer.name}_shape`, [0, ...shape])], {}, `${layer.name}_nhwc`);
  return fromChannelsLast(graph, reshaped, shape);
};

export const zeroPadding2d: LayerConverter = ({ graph, layer, config }, [x]) => {
  const padding = config.padding;
  const [[top, bottom], [left, right]] = typeof padding === 'number' ? [[padding, padding], [padding, padding]]
    : (padding as (number | number[])[]).map((p) => (typeof p === 'number' ? [p, p] : p));
  if (x.shape.length !== 3) throw new Unsupported(`gets a rank-${x.shape.length + 1} input, not an image`);
  const pads = graph.int64s(`${layer.name}_pads`, [0, 0, top, left, 0, 0, bottom, right]);
  const shape: Value['shape'] = [x.shape[0] + top + bottom, x.shape[1] + left + right, x.shape[2]];
  return { name: graph.node('Pad', [x.name, pads], {}, layer.name), shape };
};
