// Conv2DBackpropInput for the wasm backend as one (XNNPACK) convolution: wasm's own kernel is a naive loop,
// 10–12× slower than the forward conv. dx[h] = Σ_oh dy[oh]·w[h + padTop − oh·s] is a stride-1 conv of dy —
// zero-dilated by the stride — with the spatially flipped, in/out-swapped filter, padded by (k − 1 − padTop).
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Intermediates, runWasmKernel } from './wasmKernelCalls';

type Shape4D = [number, number, number, number];

/** dy with (stride − 1) zeros between rows and between columns: the positions the forward conv visited. */
function zeroDilated(backend: BackendWasm, dy: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  const [batch, height, width, channels] = dy.shape;
  const dilatedHeight = (height - 1) * sh + 1;
  const dilatedWidth = (width - 1) * sw + 1;
  const out = backend.makeOutput([batch, dilatedHeight, dilatedWidth, channels], 'float32');
  const target = backend.typedArrayFromHeap(out) as Float32Array;
  const source = backend.typedArrayFromHeap(dy) as Float32Array;
  target.fill(0);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < height; h++) {
      for (let w = 0; w < width; w++) {
        const from = ((b * height + h) * width + w) * channels;
        const to = ((b * dilatedHeight + h * sh) * dilatedWidth + w * sw) * channels;
        target.set(source.subarray(from, from + channels), to);
      }
    }
  }
  return out;
}

export function fastConv2dBackpropInput(native: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { dy, filter } = args.inputs as Record<'dy' | 'filter', tf.TensorInfo>;
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const backend = args.backend as BackendWasm;
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape as Shape4D, filter.shape as Shape4D, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
    const pad = {
      top: kh - 1 - padInfo.top,
      left: kw - 1 - padInfo.left,
      bottom: info.inHeight + padInfo.top - (info.outHeight - 1) * sh - 1,
      right: info.inWidth + padInfo.left - (info.outWidth - 1) * sw - 1,
    };
    // Channels-first data or a pad wider than the filter would need cropping instead of padding: rare, so native.
    if (attrs.dataFormat === 'NCHW' || Object.values(pad).some((p) => p < 0)) return native(args);

    const scratch = new Intermediates(backend);
    try {
      const flipped = kh === 1 && kw === 1 ? filter : scratch.keep(runWasmKernel(tf.Reverse, backend, { x: filter }, { dims: [0, 1] }));
      const swapped = scratch.transpose(flipped, [0, 1, 3, 2]);
      const spread = sh === 1 && sw === 1 ? dy : scratch.keep(zeroDilated(backend, dy, sh, sw));
      return runWasmKernel(tf.Conv2D, backend, { x: spread, filter: swapped }, {
        strides: 1,
        dilations: 1,
        pad: [[0, 0], [pad.top, pad.bottom], [pad.left, pad.right], [0, 0]],
        dataFormat: 'NHWC',
      });
    } finally {
      scratch.freeAll();
    }
  };
}
