// Helpers for kernels built from other wasm kernels. High-level tf ops cannot be used inside a
// kernel: the engine scope around them would dispose the data the kernel returns.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { loopsOn, type Loops, type WasmMemory } from './simd/loops';

/** What tfjs passes to a kernel function; `backend` is the wasm backend for kernels registered here. */
export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/** Calls the kernel the wasm backend registered under `name` and returns its raw output. */
export function runWasmKernel(
  name: string,
  backend: BackendWasm,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel === undefined) {
    throw new Error(`The wasm backend has no '${name}' kernel; import '@tensorflow/tfjs-backend-wasm' before training.`);
  }
  return kernel.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
}

/** Tracks a kernel's intermediate outputs so that all of them are freed, even when a step throws. */
export class Intermediates {
  private readonly held: tf.TensorInfo[] = [];

  constructor(private readonly backend: BackendWasm) {}

  keep(info: tf.TensorInfo): tf.TensorInfo {
    this.held.push(info);
    return info;
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.keep(runWasmKernel(tf.Transpose, this.backend, { x }, { perm }));
  }

  freeAll(): void {
    for (const info of this.held.splice(0)) this.backend.disposeData(info.dataId);
  }
}

/** Copies values computed in JS into a new wasm tensor (malloc'd wasm memory is not zeroed). */
export function wasmTensorFrom(backend: BackendWasm, shape: number[], values: ArrayLike<number>): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  (backend.typedArrayFromHeap(out) as Float32Array).set(values);
  return out;
}

/** The loops for kernels on this backend: SIMD on its memory when they load (tfjs keeps the memory in `asm`). */
export function loopsFor(backend: BackendWasm): Loops {
  return loopsOn((backend.wasm as unknown as { asm?: { memory?: WasmMemory } }).asm?.memory);
}
