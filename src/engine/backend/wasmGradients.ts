// tfjs-backend-wasm 4.22 lacks the conv gradient kernels needed to fine-tune conv layers; this fills them in.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwiseBackprop';

const GRADIENT_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
];

/** Registers each missing conv gradient kernel for 'wasm'; idempotent. Returns the names it registered. */
export function registerWasmGradientKernels(): string[] {
  const missing = GRADIENT_KERNELS.filter((config) => tf.getKernel(config.kernelName, 'wasm') === undefined);
  for (const config of missing) tf.registerKernel(config);
  return missing.map((config) => config.kernelName);
}
