// Identity for the wasm backend without a copy: tfjs clones every tensor it saves for a backward pass through this
// kernel, and wasm's own copies the data (≈3 s of a 14 s whole-network training epoch). Sharing the data with a
// reference count is what the cpu backend and wasm's own Reshape do; no tfjs kernel writes into its inputs.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export function sharingIdentity(native: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return native(args);
    (args.backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
