// Depthwise conv gradients for the wasm backend. The input gradient of a multiplier-1 depthwise conv is itself a
// depthwise conv (see transposedConv.ts), run by XNNPACK; the filter gradient (kh·kw sums per channel, no conv form
// that XNNPACK runs fast at every size) and other input gradients are loops over wasm memory: SIMD over the channels
// for multiplier 1, plain JS accumulated in float64 otherwise. Channel q = c·multiplier + m of dy and of the filter
// belongs to input channel c.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { explicitPad, inputGradientPads, padsFit, zeroDilated } from './transposedConv';
import { Intermediates, KernelArgs, loopsFor, runWasmKernel, wasmTensorFrom } from './wasmKernelCalls';

type Shape4D = [number, number, number, number];
type DepthwiseAttrs = tf.DepthwiseConv2dNativeBackpropFilterAttrs | tf.DepthwiseConv2dNativeBackpropInputAttrs;
/** Offsets (at channel 0) of one input pixel, one dy pixel and one filter tap that meet in the forward conv. */
type TapVisitor = (xAt: number, dyAt: number, filterAt: number) => void;

function depthwiseInfo(xShape: number[], filterShape: number[], attrs: DepthwiseAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(xShape as Shape4D, filterShape as Shape4D, attrs.strides,
    attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
}

/** Visits every (batch, output pixel, filter tap) whose input pixel lies inside x (padding contributes zero). */
function forEachTap(info: tf.backend_util.Conv2DInfo, visit: TapVisitor): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, padInfo } = info;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const dyAt = ((b * outHeight + oh) * outWidth + ow) * outChannels;
        for (let i = 0; i < info.filterHeight; i++) {
          const h = oh * info.strideHeight - padInfo.top + i * info.dilationHeight;
          if (h < 0 || h >= inHeight) continue;
          for (let j = 0; j < info.filterWidth; j++) {
            const w = ow * info.strideWidth - padInfo.left + j * info.dilationWidth;
            if (w < 0 || w >= inWidth) continue;
            visit(((b * inHeight + h) * inWidth + w) * inChannels, dyAt, (i * info.filterWidth + j) * outChannels);
          }
        }
      }
    }
  }
}

function depthwiseBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, dy } = inputs as Record<'x' | 'dy', tf.TensorInfo>;
  const { filterShape } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const wasm = backend as BackendWasm;
  const info = depthwiseInfo(x.shape, filterShape, attrs as unknown as DepthwiseAttrs);
  const multiplier = filterShape[3];
  const channels = info.inChannels;
  if (multiplier === 1) {
    const out = wasm.makeOutput(filterShape, 'float32');
    // Views after makeOutput (an allocation may grow wasm memory and detach earlier views); malloc'd memory is not zeroed.
    const grad = (wasm.typedArrayFromHeap(out) as Float32Array).fill(0);
    const xs = wasm.typedArrayFromHeap(x) as Float32Array;
    const dys = wasm.typedArrayFromHeap(dy) as Float32Array;
    const loops = loopsFor(wasm);
    forEachTap(info, (xAt, dyAt, filterAt) => loops.multiplyAdd(grad, filterAt, xs, xAt, dys, dyAt, channels));
    return out;
  }
  // Views straight into wasm memory (no copy); nothing allocates wasm memory until the result is written.
  const xs = wasm.typedArrayFromHeap(x) as Float32Array;
  const dys = wasm.typedArrayFromHeap(dy) as Float32Array;
  const grad = new Float64Array(tf.util.sizeFromShape(filterShape));
  forEachTap(info, (xAt, dyAt, filterAt) => {
    for (let m = 0; m < multiplier; m++) {
      for (let c = 0, q = m; c < channels; c++, q += multiplier) grad[filterAt + q] += xs[xAt + c] * dys[dyAt + q];
    }
  });
  return wasmTensorFrom(wasm, filterShape, grad);
}

/** Multiplier 1, no dilation: dx is a depthwise conv of (dilated) dy with the flipped filter, run by XNNPACK. */
function inputGradientByConv(wasm: BackendWasm, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo | undefined {
  const pads = inputGradientPads(info);
  if (filter.shape[3] !== 1 || info.dilationHeight !== 1 || info.dilationWidth !== 1 || !padsFit(pads)) return undefined;
  const scratch = new Intermediates(wasm);
  try {
    const flipped = scratch.keep(runWasmKernel(tf.Reverse, wasm, { x: filter }, { dims: [0, 1] }));
    const { strideHeight: sh, strideWidth: sw } = info;
    const spread = sh === 1 && sw === 1 ? dy : scratch.keep(zeroDilated(wasm, dy, sh, sw));
    return runWasmKernel(tf.DepthwiseConv2dNative, wasm, { x: spread, filter: flipped }, { strides: 1, dilations: 1, pad: explicitPad(pads), dataFormat: 'NHWC' });
  } finally {
    scratch.freeAll();
  }
}

function depthwiseBackpropInput({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, filter } = inputs as Record<'dy' | 'filter', tf.TensorInfo>;
  const { inputShape } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const wasm = backend as BackendWasm;
  const info = depthwiseInfo(inputShape, filter.shape, attrs as unknown as DepthwiseAttrs);
  const byConv = inputGradientByConv(wasm, dy, filter, info);
  if (byConv) return byConv;
  const dys = wasm.typedArrayFromHeap(dy) as Float32Array;
  const ws = wasm.typedArrayFromHeap(filter) as Float32Array;
  const multiplier = filter.shape[3];
  const grad = new Float64Array(tf.util.sizeFromShape(inputShape));
  const channels = info.inChannels;
  forEachTap(info, (xAt, dyAt, filterAt) => {
    for (let m = 0; m < multiplier; m++) {
      for (let c = 0, q = m; c < channels; c++, q += multiplier) grad[xAt + c] += dys[dyAt + q] * ws[filterAt + q];
    }
  });
  return wasmTensorFrom(wasm, inputShape, grad);
}

export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter,
};

export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput,
};
