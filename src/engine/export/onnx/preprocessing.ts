// The run's pixel scaling as the graph's first ops, so callers feed RGB pixels 0–255 as they decode them.
import { CAFFE_BGR_MEAN, type Preprocessing, TORCH_MEAN, TORCH_STD } from '../../models/preprocess';
import type { OnnxGraph } from './graph';
import { TO_NCHW } from './layout';

/** Same ops in the same order as the engine's preprocess(), so the float rounding matches too. */
function scale(graph: OnnxGraph, pixels: string, kind: Preprocessing): string {
  switch (kind) {
    case 'scale-minus1-1':
      return graph.node('Sub', [graph.node('Div', [pixels, graph.floats('by_127_5', [], [127.5])], {}, 'pixels_halved'), graph.floats('one', [], [1])], {}, 'scaled');
    case 'scale-0-1':
      return graph.node('Div', [pixels, graph.floats('by_255', [], [255])], {}, 'scaled');
    case 'imagenet-mean-std': {
      const unit = graph.node('Div', [pixels, graph.floats('by_255', [], [255])], {}, 'pixels_0_1');
      const centred = graph.node('Sub', [unit, graph.floats('imagenet_mean', [3], TORCH_MEAN)], {}, 'pixels_centred');
      return graph.node('Div', [centred, graph.floats('imagenet_std', [3], TORCH_STD)], {}, 'scaled');
    }
    case 'raw-0-255':
      return pixels;
    case 'caffe-bgr': {
      const bgr = graph.node('Gather', [pixels, graph.int64s('rgb_to_bgr', [2, 1, 0])], { axis: 3 }, 'pixels_bgr');
      return graph.node('Sub', [bgr, graph.floats('imagenet_bgr_mean', [3], CAFFE_BGR_MEAN)], {}, 'scaled');
    }
  }
}

/** NHWC pixels → the base's input range, NCHW. */
export function preprocessingOps(graph: OnnxGraph, pixels: string, kind: Preprocessing): string {
  return graph.node('Transpose', [scale(graph, pixels, kind)], { perm: TO_NCHW }, 'input_nchw');
}
