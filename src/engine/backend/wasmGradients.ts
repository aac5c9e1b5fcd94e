// tfjs-backend-wasm 4.22 lacks the conv gradient kernels needed to fine-tune conv layers and ships a naive input
// gradient; this fills the gaps, replaces the slow kernel, the copying Identity and the pixel-by-pixel Slice, and swaps two gradients built
// from many full-size kernels (batch norm's tiles, clip's five passes) for cheaper ones, and gives Adam a one-pass update.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { batchNormGradientConfig, channelKernels } from './batchNormGradient';
import { clipGradientConfig, clipGradientKernels } from './clipGradient';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { fastConv2dBackpropInput } from './conv2dBackpropInput';
import { adamKernels } from './fusedAdam';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwiseBackprop';
import { sharingIdentity } from './identity';
import { rowSlice } from './rowSlice';

const MISSING_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
];

/** wasm's own kernels replaced here, by name: how to wrap the native one (kept for the cases it still handles). */
const REPLACEMENTS: Record<string, (native: tf.KernelFunc) => tf.KernelFunc> = {
  [tf.Conv2DBackpropInput]: fastConv2dBackpropInput,
  [tf.Identity]: sharingIdentity,
  [tf.Slice]: rowSlice,
};
const replaced = new Set<tf.KernelConfig>();

function replaceKernel(name: string): boolean {
  const native = tf.getKernel(name, 'wasm');
  if (native === undefined || replaced.has(native)) return false;
  const replacement = { ...native, kernelFunc: REPLACEMENTS[name](native.kernelFunc) };
  replaced.add(replacement);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel(replacement);
  return true;
}

/** Registers each missing or replaced kernel and gradient; idempotent. Returns the names it registered. */
export function registerWasmGradientKernels(): string[] {
  const missing = MISSING_KERNELS.filter((config) => tf.getKernel(config.kernelName, 'wasm') === undefined);
  for (const config of missing) tf.registerKernel(config);
  const added = missing.map((config) => config.kernelName);
  added.push(...Object.keys(REPLACEMENTS).filter(replaceKernel));
  for (const kernel of [...clipGradientKernels, ...channelKernels, ...adamKernels]) {
    if (tf.getKernel(kernel.kernelName, kernel.backendName) === undefined) tf.registerKernel(kernel);
  }
  for (const gradient of [batchNormGradientConfig, clipGradientConfig]) {
    if (tf.getGradient(gradient.kernelName) === gradient) continue;
    tf.registerGradient(gradient);
    added.push(`${gradient.kernelName} gradient`);
  }
  return added;
}
