// Conv2DBackpropFilter for the wasm backend, computed as one more (XNNPACK) convolution:
// dW[i,j,ci,co] = Σ_{b,oh,ow} xPadded[b, oh·s+i, ow·s+j, ci] · dy[b,oh,ow,co]
// is a stride-1 conv of x laid out as [Cin, H, W, B] with dy laid out as [Ho, Wo, B, Cout] as the
// filter, dilated by the forward stride; it yields [Cin, kh, kw, Cout].
// A 1×1 stride-1 unpadded filter's gradient is plainly xᵀ·dy, and a matmul does it in half the time.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Intermediates, KernelArgs, runWasmKernel } from './wasmKernelCalls';

type Shape4D = [number, number, number, number];

function conv2dBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const { x, dy } = args.inputs as Record<'x' | 'dy', tf.TensorInfo>;
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const backend = args.backend as BackendWasm;
  if (attrs.dataFormat === 'NCHW') {
    throw new Error("Conv2DBackpropFilter on the wasm backend needs dataFormat 'NHWC'; build the model channels-last.");
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4D, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  if (isPointwise(info)) return pointwiseFilterGradient(backend, x, dy, info);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  // Pad only as far as the forward conv reads; rows/columns it never reached make the result taller, then sliced.
  const bottom = Math.max(0, (info.outHeight - 1) * sh + kh - info.inHeight - padInfo.top);
  const right = Math.max(0, (info.outWidth - 1) * sw + kw - info.inWidth - padInfo.left);

  const scratch = new Intermediates(backend);
  try {
    const gradient = scratch.keep(runWasmKernel(tf.Conv2D, backend, {
      x: scratch.transpose(x, [3, 1, 2, 0]),
      filter: scratch.transpose(dy, [1, 2, 0, 3]),
    }, {
      strides: 1,
      dilations: [sh, sw],
      pad: [[0, 0], [padInfo.top, bottom], [padInfo.left, right], [0, 0]],
      dataFormat: 'NHWC',
    }));
    const [cin, height, width, cout] = gradient.shape;
    const fitted = height === kh && width === kw
      ? gradient
      : scratch.keep(runWasmKernel(tf.Slice, backend, { x: gradient }, { begin: [0, 0, 0, 0], size: [cin, kh, kw, cout] }));
    return runWasmKernel(tf.Transpose, backend, { x: fitted }, { perm: [1, 2, 0, 3] });
  } finally {
    scratch.freeAll();
  }
}

function isPointwise(info: tf.backend_util.Conv2DInfo): boolean {
  const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  const unpadded = padInfo.top === 0 && padInfo.bottom === 0 && padInfo.left === 0 && padInfo.right === 0;
  return filterHeight === 1 && filterWidth === 1 && strideHeight === 1 && strideWidth === 1 && unpadded;
}

/** xᵀ·dy over all B·H·W positions; wasm's matmul is slow with transposeA, so x is transposed first. */
function pointwiseFilterGradient(backend: BackendWasm, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const positions = info.batchSize * info.outHeight * info.outWidth;
  // Same data seen as a matrix: a borrowed view, never freed here.
  const rows = (t: tf.TensorInfo, columns: number): tf.TensorInfo => ({ dataId: t.dataId, shape: [positions, columns], dtype: t.dtype });
  const scratch = new Intermediates(backend);
  try {
    const xt = scratch.transpose(rows(x, info.inChannels), [1, 0]);
    const product = runWasmKernel(tf.BatchMatMul, backend, { a: xt, b: rows(dy, info.outChannels) }, { transposeA: false, transposeB: false });
    return { ...product, shape: [1, 1, info.inChannels, info.outChannels] };
  } finally {
    scratch.freeAll();
  }
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
