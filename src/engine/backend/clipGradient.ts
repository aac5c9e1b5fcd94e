// ClipByValue's gradient (ReLU6 is a clip) in one pass: tfjs builds it from five full-size kernels (≥, ≤, and,
// zeros, select), ≈45 ms of a MobileNetV2 fine-tuning step on wasm at 160 px; one loop takes ≈1 ms. The loop is
// a kernel of its own, registered for wasm and cpu, because a gradient override applies to every backend.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const CLIP_GRADIENT_KERNEL = 'TransferLabClipByValueGrad';

type ClipAttrs = { clipValueMin: number; clipValueMax: number };
/** The part of tfjs' cpu backend this kernel uses. */
type CpuBackend = { readSync(dataId: object): tf.backend_util.BackendValues; makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo };

/** out = dy where min ≤ x ≤ max, else 0 (bounds included, as tfjs' own gradient). */
function passInsideBounds(dy: ArrayLike<number>, x: ArrayLike<number>, { clipValueMin: min, clipValueMax: max }: ClipAttrs, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = x[i] >= min && x[i] <= max ? dy[i] : 0;
}

const onWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x } = inputs as Record<'dy' | 'x', tf.TensorInfo>;
  const wasm = backend as BackendWasm;
  const out = wasm.makeOutput(dy.shape, 'float32');
  // Views after makeOutput: an allocation may grow wasm memory and detach earlier views.
  const values = wasm.typedArrayFromHeap(out) as Float32Array;
  passInsideBounds(wasm.typedArrayFromHeap(dy) as Float32Array, wasm.typedArrayFromHeap(x) as Float32Array, attrs as unknown as ClipAttrs, values);
  return out;
};

const onCpu: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x } = inputs as Record<'dy' | 'x', tf.TensorInfo>;
  const cpu = backend as unknown as CpuBackend;
  const values = new Float32Array(tf.util.sizeFromShape(dy.shape));
  passInsideBounds(cpu.readSync(dy.dataId) as Float32Array, cpu.readSync(x.dataId) as Float32Array, attrs as unknown as ClipAttrs, values);
  return cpu.makeTensorInfo(dy.shape, 'float32', values);
};

export const clipGradientKernels: tf.KernelConfig[] = [
  { kernelName: CLIP_GRADIENT_KERNEL, backendName: 'wasm', kernelFunc: onWasm },
  { kernelName: CLIP_GRADIENT_KERNEL, backendName: 'cpu', kernelFunc: onCpu },
];

export const clipGradientConfig: tf.GradConfig = {
  kernelName: tf.ClipByValue,
  inputsToSave: ['x'],
  gradFunc: (dy, [x], attrs) => ({
    x: () => tf.engine().runKernel(CLIP_GRADIENT_KERNEL, { dy: dy as tf.Tensor, x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
  }),
};
