// Depthwise conv gradients for the wasm backend as plain loops: a depthwise filter has only kh·kw
// taps per channel, so JS is fast enough (≈30 ms each for 7×7×960, batch 16).
// Channel q = c·multiplier + m of dy and of the filter belongs to input channel c; the loops run m
// outside c so that the inner loop walks one stride (twice as fast as the other order).
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KernelArgs, wasmTensorFrom } from './wasmKernelCalls';

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
  const xs = wasm.readSync(x.dataId) as Float32Array;
  const dys = wasm.readSync(dy.dataId) as Float32Array;
  const multiplier = filterShape[3];
  // Float64 sums: each filter entry adds up batch·Ho·Wo products.
  const grad = new Float64Array(tf.util.sizeFromShape(filterShape));
  const channels = info.inChannels;
  forEachTap(info, (xAt, dyAt, filterAt) => {
    for (let m = 0; m < multiplier; m++) {
      for (let c = 0, q = m; c < channels; c++, q += multiplier) grad[filterAt + q] += xs[xAt + c] * dys[dyAt + q];
    }
  });
  return wasmTensorFrom(wasm, filterShape, grad);
}

function depthwiseBackpropInput({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, filter } = inputs as Record<'dy' | 'filter', tf.TensorInfo>;
  const { inputShape } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const wasm = backend as BackendWasm;
  const info = depthwiseInfo(inputShape, filter.shape, attrs as unknown as DepthwiseAttrs);
  const dys = wasm.readSync(dy.dataId) as Float32Array;
  const ws = wasm.readSync(filter.dataId) as Float32Array;
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
