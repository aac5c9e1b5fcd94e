// Kernels whose whole work is one of the loops (simd/loops.ts), registered for wasm and for cpu: a gradient override
// applies to every backend, so the kernels it calls must exist on each. Float32 in, one float32 output.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { jsLoops, type Loops } from './simd/loops';
import { loopsFor } from './wasmKernelCalls';

type Views = Record<string, Float32Array>;
/** The part of tfjs' cpu backend these kernels use. */
type CpuBackend = { readSync(dataId: object): tf.backend_util.BackendValues; makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo };

export interface LoopKernel {
  name: string;
  outputShape(inputs: Record<string, tf.TensorInfo>): number[];
  /** Outputs of that one shape (default 1); the first is `out`, the others `more`. */
  outputs?: number;
  run(loops: Loops, inputs: Views, out: Float32Array, attrs: tf.NamedAttrMap, more: Float32Array[]): void;
}

export function loopKernelConfigs({ name, outputShape, outputs = 1, run }: LoopKernel): tf.KernelConfig[] {
  const result = (infos: tf.TensorInfo[]) => (outputs === 1 ? infos[0] : infos);
  const onWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const wasm = backend as BackendWasm;
    const infos = inputs as Record<string, tf.TensorInfo>;
    const outs = Array.from({ length: outputs }, () => wasm.makeOutput(outputShape(infos), 'float32'));
    // Views after makeOutput: an allocation may grow wasm memory and detach earlier views.
    const views = Object.fromEntries(Object.entries(infos).map(([key, info]) => [key, wasm.typedArrayFromHeap(info) as Float32Array]));
    const [out, ...more] = outs.map((o) => wasm.typedArrayFromHeap(o) as Float32Array);
    run(loopsFor(wasm), views, out, attrs ?? {}, more);
    return result(outs);
  };
  const onCpu: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const cpu = backend as unknown as CpuBackend;
    const infos = inputs as Record<string, tf.TensorInfo>;
    const shape = outputShape(infos);
    const [out, ...more] = Array.from({ length: outputs }, () => new Float32Array(tf.util.sizeFromShape(shape)));
    const views = Object.fromEntries(Object.entries(infos).map(([key, info]) => [key, cpu.readSync(info.dataId) as Float32Array]));
    run(jsLoops, views, out, attrs ?? {}, more);
    return result([out, ...more].map((values) => cpu.makeTensorInfo(shape, 'float32', values)));
  };
  return [
    { kernelName: name, backendName: 'wasm', kernelFunc: onWasm },
    { kernelName: name, backendName: 'cpu', kernelFunc: onCpu },
  ];
}
