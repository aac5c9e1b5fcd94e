// tfjs-backend-wasm 4.22 lacks the conv gradient kernels needed to fine-tune conv layers and ships a naive input
// gradient; this fills the gaps, replaces the slow kernel and swaps a gradient that tiles for one that broadcasts.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { batchNormGradientConfig } from './batchNormGradient';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { fastConv2dBackpropInput } from './conv2dBackpropInput';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwiseBackprop';

const MISSING_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
];

let fastBackpropInput: tf.KernelConfig | undefined;

/** Swaps wasm's naive Conv2DBackpropInput for the XNNPACK form, keeping the native one for the cases it leaves. */
function replaceConv2dBackpropInput(): boolean {
  const native = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
  if (native === undefined || native === fastBackpropInput) return false;
  fastBackpropInput = { ...native, kernelFunc: fastConv2dBackpropInput(native.kernelFunc) };
  tf.unregisterKernel(tf.Conv2DBackpropInput, 'wasm');
  tf.registerKernel(fastBackpropInput);
  return true;
}

/** Registers each missing or replaced kernel and gradient; idempotent. Returns the names it registered. */
export function registerWasmGradientKernels(): string[] {
  const missing = MISSING_KERNELS.filter((config) => tf.getKernel(config.kernelName, 'wasm') === undefined);
  for (const config of missing) tf.registerKernel(config);
  const added = missing.map((config) => config.kernelName);
  if (replaceConv2dBackpropInput()) added.push(tf.Conv2DBackpropInput);
  if (tf.getGradient(tf.FusedBatchNorm) !== batchNormGradientConfig) {
    tf.registerGradient(batchNormGradientConfig);
    added.push(`${tf.FusedBatchNorm} gradient`);
  }
  return added;
}
