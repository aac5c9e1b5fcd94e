// Sliding-window geometry as TensorFlow computes it: 'same' pads so the output is ceil(in / stride), the odd pixel at the end.
import { Unsupported, pair } from './types';

export interface Window {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** ONNX pads: [top, left, bottom, right]. */
  pads: [number, number, number, number];
  /** Output height and width. */
  out: [number, number];
}

function axis(size: number, kernel: number, stride: number, dilation: number, padding: string): { before: number; after: number; out: number } {
  const span = (kernel - 1) * dilation + 1;
  if (padding === 'valid') return { before: 0, after: 0, out: Math.floor((size - span) / stride) + 1 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + span - size, 0);
  return { before: Math.floor(total / 2), after: total - Math.floor(total / 2), out };
}

/** The window of a Keras conv or pooling layer over an input of height × width. */
export function slidingWindow(config: Record<string, unknown>, kernelKey: string, [height, width]: number[]): Window {
  const padding = String(config.padding ?? 'valid');
  if (padding !== 'same' && padding !== 'valid') throw new Unsupported(`has padding "${padding}", which the ONNX export does not write`);
  if (config.data_format === 'channels_first') throw new Unsupported('is channels_first, which the ONNX export does not write');
  const kernel = pair(config[kernelKey], 1);
  // Pooling's strides default to its pool size; convs always state theirs.
  const strides = pair(config.strides ?? kernel, 1);
  const dilations = pair(config.dilation_rate, 1);
  const [h, w] = [axis(height, kernel[0], strides[0], dilations[0], padding), axis(width, kernel[1], strides[1], dilations[1], padding)];
  if (h.out < 1 || w.out < 1) throw new Unsupported(`gets an input of ${height}×${width}, too small for its window`);
  return { kernel, strides, dilations, pads: [h.before, w.before, h.after, w.after], out: [h.out, w.out] };
}
