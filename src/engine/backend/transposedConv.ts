// An input gradient is a stride-1 forward convolution of dy, zero-dilated by the forward stride, with the spatially
// flipped filter: dx[h] = Σ_oh dy[oh]·w[h + padTop − oh·s]. This module holds that geometry for conv and depthwise.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export interface Pads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Pads around the dilated dy so that a 'valid' stride-1 conv yields exactly the input's height and width. */
export function inputGradientPads(info: tf.backend_util.Conv2DInfo): Pads {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  return {
    top: kh - 1 - padInfo.top,
    left: kw - 1 - padInfo.left,
    bottom: info.inHeight + padInfo.top - (info.outHeight - 1) * sh - 1,
    right: info.inWidth + padInfo.left - (info.outWidth - 1) * sw - 1,
  };
}

/** Negative pads (a forward pad wider than the filter) would need cropping: callers fall back to loops. */
export function padsFit(pads: Pads): boolean {
  return pads.top >= 0 && pads.bottom >= 0 && pads.left >= 0 && pads.right >= 0;
}

export function explicitPad(pads: Pads): tf.backend_util.ExplicitPadding {
  return [[0, 0], [pads.top, pads.bottom], [pads.left, pads.right], [0, 0]];
}

/** dy with (stride − 1) zeros between rows and between columns: the positions the forward conv visited. */
export function zeroDilated(backend: BackendWasm, dy: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  const [batch, height, width, channels] = dy.shape;
  const dilatedHeight = (height - 1) * sh + 1;
  const dilatedWidth = (width - 1) * sw + 1;
  const out = backend.makeOutput([batch, dilatedHeight, dilatedWidth, channels], 'float32');
  // Views are taken after makeOutput: an allocation may grow wasm memory and detach earlier views.
  const target = backend.typedArrayFromHeap(out) as Float32Array;
  const source = backend.typedArrayFromHeap(dy) as Float32Array;
  target.fill(0);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < height; h++) {
      for (let w = 0; w < width; w++) {
        const from = ((b * height + h) * width + w) * channels;
        target.set(source.subarray(from, from + channels), ((b * dilatedHeight + h * sh) * dilatedWidth + w * sw) * channels);
      }
    }
  }
  return out;
}
