// Batched matrix products (attention's per-head Q·Kᵀ and P·V) on the wasm backend as a loop of single products.
// wasm's BatchMatMul runs XNNPACK only for a batch of one and a slow generic loop otherwise (≈1–2 GFLOP/s against
// ≈20; attention then dominates bert-tiny). This registers a kernel under its own name, so no existing kernel
// changes for anyone else; each batch item is copied within wasm memory into a batch-of-one product.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { runWasmKernel, type KernelArgs } from '../backend/wasmKernelCalls';

const KERNEL = 'TransferLabLoopedBatchMatMul';

function heapOf(backend: BackendWasm, info: tf.TensorInfo): Float32Array {
  // Views are re-made after every allocation: growing wasm memory detaches older ones.
  return backend.typedArrayFromHeap(info) as Float32Array;
}

function loopedBatchMatMul(args: KernelArgs): tf.TensorInfo {
  const { a, b } = args.inputs as Record<'a' | 'b', tf.TensorInfo>;
  const backend = args.backend as BackendWasm;
  const [batch, m, k] = a.shape;
  const n = b.shape[2];
  const out = backend.makeOutput([batch, m, n], 'float32');
  for (let i = 0; i < batch; i++) {
    const ai = backend.makeOutput([1, m, k], 'float32');
    const bi = backend.makeOutput([1, k, n], 'float32');
    heapOf(backend, ai).set(heapOf(backend, a).subarray(i * m * k, (i + 1) * m * k));
    heapOf(backend, bi).set(heapOf(backend, b).subarray(i * k * n, (i + 1) * k * n));
    const ci = runWasmKernel(tf.BatchMatMul, backend, { a: ai, b: bi }, { transposeA: false, transposeB: false });
    heapOf(backend, out).set(heapOf(backend, ci), i * m * n);
    for (const info of [ai, bi, ci]) backend.disposeData(info.dataId);
  }
  return out;
}

let registered = false;

/** [B, m, k] @ [B, k, n]; the looped kernel on wasm, tfjs' own elsewhere. */
export function batchMatMul3d(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  if (tf.getBackend() !== 'wasm' || a.shape[0] === 1) return tf.matMul(a, b);
  if (!registered) {
    tf.registerKernel({ kernelName: KERNEL, backendName: 'wasm', kernelFunc: loopedBatchMatMul as unknown as tf.KernelFunc });
    registered = true;
  }
  return tf.engine().runKernel(KERNEL, { a, b }, {}) as tf.Tensor3D;
}
