// Conv2DBackpropInput for the wasm backend as one XNNPACK convolution (see transposedConv.ts): wasm's own kernel is
// a naive loop, 10–12× slower than the forward conv.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { explicitPad, inputGradientPads, padsFit, zeroDilated } from './transposedConv';
import { Intermediates, runWasmKernel } from './wasmKernelCalls';

type Shape4D = [number, number, number, number];

export function fastConv2dBackpropInput(native: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { dy, filter } = args.inputs as Record<'dy' | 'filter', tf.TensorInfo>;
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const backend = args.backend as BackendWasm;
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape as Shape4D, filter.shape as Shape4D, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
    const pads = inputGradientPads(info);
    if (attrs.dataFormat === 'NCHW' || !padsFit(pads)) return native(args);

    const scratch = new Intermediates(backend);
    try {
      const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
      const flipped = kh === 1 && kw === 1 ? filter : scratch.keep(runWasmKernel(tf.Reverse, backend, { x: filter }, { dims: [0, 1] }));
      const swapped = scratch.transpose(flipped, [0, 1, 3, 2]);
      const spread = sh === 1 && sw === 1 ? dy : scratch.keep(zeroDilated(backend, dy, sh, sw));
      return runWasmKernel(tf.Conv2D, backend, { x: spread, filter: swapped }, { strides: 1, dilations: 1, pad: explicitPad(pads), dataFormat: 'NHWC' });
    } finally {
      scratch.freeAll();
    }
  };
}
