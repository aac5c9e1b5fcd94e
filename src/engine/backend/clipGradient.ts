// ClipByValue's gradient (ReLU6 is a clip) in one pass: tfjs builds it from five full-size kernels (≥, ≤, and,
// zeros, select), ≈45 ms of a MobileNetV2 fine-tuning step on wasm at 160 px; one SIMD loop takes a fraction of a ms.
// The loop is a kernel of its own, registered for wasm and cpu, because a gradient override applies to every backend.
import * as tf from '@tensorflow/tfjs';
import { loopKernelConfigs } from './loopKernels';

export const CLIP_GRADIENT_KERNEL = 'TransferLabClipByValueGrad';

export const clipGradientKernels = loopKernelConfigs({
  name: CLIP_GRADIENT_KERNEL,
  outputShape: ({ dy }) => dy.shape,
  run: (loops, { dy, x }, out, attrs) => loops.clipGradient(dy, x, out, attrs.clipValueMin as number, attrs.clipValueMax as number),
});

export const clipGradientConfig: tf.GradConfig = {
  kernelName: tf.ClipByValue,
  inputsToSave: ['x'],
  gradFunc: (dy, [x], attrs) => ({
    x: () => tf.engine().runKernel(CLIP_GRADIENT_KERNEL, { dy: dy as tf.Tensor, x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
  }),
};
