import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerWasmGradientKernels } from '../../../src/engine/backend/wasmGradients';
import { maxScaledDifference, seededTensor, valuesOn } from './backendParity';

const GRADIENT_KERNELS = ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'];
const REPLACED = ['Conv2DBackpropInput', 'Identity', 'Slice', 'FusedBatchNorm gradient', 'ClipByValue gradient'];
const TOLERANCE = 1e-4;

interface ConvCase {
  name: string;
  depthwise: boolean;
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  strides: 1 | 2;
  pad: 'same' | 'valid' | number;
}

const CASES: ConvCase[] = [
  { name: 'conv 1x1 s1', depthwise: false, xShape: [2, 7, 7, 6], filterShape: [1, 1, 6, 5], strides: 1, pad: 'valid' },
  { name: 'conv 1x1 s1 same, even 4x4, batch 8', depthwise: false, xShape: [8, 4, 4, 12], filterShape: [1, 1, 12, 7], strides: 1, pad: 'same' },
  { name: 'conv 1x1 s2 valid, odd 7x7', depthwise: false, xShape: [2, 7, 7, 4], filterShape: [1, 1, 4, 3], strides: 2, pad: 'valid' },
  { name: 'conv 1x1 s2 same, even 8x8', depthwise: false, xShape: [2, 8, 8, 4], filterShape: [1, 1, 4, 3], strides: 2, pad: 'same' },
  { name: 'conv 3x3 s1 valid, even 8x8', depthwise: false, xShape: [2, 8, 8, 3], filterShape: [3, 3, 3, 5], strides: 1, pad: 'valid' },
  { name: 'conv 1x1 s1 explicit pad 1 (pad wider than the filter: native input gradient)', depthwise: false, xShape: [2, 5, 5, 3], filterShape: [1, 1, 3, 2], strides: 1, pad: 1 },
  { name: 'conv 3x3 s1 same, 15x15, batch 1', depthwise: false, xShape: [1, 15, 15, 3], filterShape: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: 'conv 3x3 s2 same, 7x7, batch 4', depthwise: false, xShape: [4, 7, 7, 5], filterShape: [3, 3, 5, 3], strides: 2, pad: 'same' },
  { name: 'conv 3x3 s2 same, even 8x8 (asymmetric pad)', depthwise: false, xShape: [2, 8, 8, 3], filterShape: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { name: 'conv 3x3 s2 valid, 15x15, batch 4', depthwise: false, xShape: [4, 15, 15, 3], filterShape: [3, 3, 3, 6], strides: 2, pad: 'valid' },
  { name: 'conv 3x3 s2 valid, 14x14 (last row unread)', depthwise: false, xShape: [2, 14, 14, 4], filterShape: [3, 3, 4, 2], strides: 2, pad: 'valid' },
  { name: 'conv 5x5 s1 valid', depthwise: false, xShape: [1, 7, 7, 4], filterShape: [5, 5, 4, 2], strides: 1, pad: 'valid' },
  { name: 'conv 3x3 s2 explicit pad 1', depthwise: false, xShape: [2, 7, 7, 3], filterShape: [3, 3, 3, 4], strides: 2, pad: 1 },
  { name: 'depthwise 3x3 s1 same, x1', depthwise: true, xShape: [2, 7, 7, 4], filterShape: [3, 3, 4, 1], strides: 1, pad: 'same' },
  { name: 'depthwise 3x3 s2 same, x2, 15x15', depthwise: true, xShape: [1, 15, 15, 3], filterShape: [3, 3, 3, 2], strides: 2, pad: 'same' },
  { name: 'depthwise 3x3 s2 same, x1, even 8x8', depthwise: true, xShape: [2, 8, 8, 5], filterShape: [3, 3, 5, 1], strides: 2, pad: 'same' },
  { name: 'depthwise 3x3 s1 valid, x2, batch 4', depthwise: true, xShape: [4, 7, 7, 3], filterShape: [3, 3, 3, 2], strides: 1, pad: 'valid' },
  { name: 'depthwise 3x3 s2 valid, x1, 14x14', depthwise: true, xShape: [2, 14, 14, 5], filterShape: [3, 3, 5, 1], strides: 2, pad: 'valid' },
];

/** Gradients of sum(conv(x, w) · r) with respect to x and w; r makes every output position count differently. */
function inputAndFilterGradients(c: ConvCase, seed: number): tf.Tensor[] {
  return tf.tidy(() => {
    const x = seededTensor(c.xShape, seed, 'x') as tf.Tensor4D;
    const w = seededTensor(c.filterShape, seed, 'w') as tf.Tensor4D;
    const conv = (a: tf.Tensor4D, b: tf.Tensor4D) =>
      c.depthwise ? tf.depthwiseConv2d(a, b, c.strides, c.pad) : tf.conv2d(a, b, c.strides, c.pad);
    const r = seededTensor(conv(x, w).shape, seed, 'r');
    return tf.grads((a, b) => tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), r)))([x, w]);
  });
}

test('registers the missing gradient kernels and the replacements for wasm, once', () => {
  const missingBefore = GRADIENT_KERNELS.filter((name) => tf.getKernel(name, 'wasm') === undefined);
  const nativeInputGradient = tf.getKernel('Conv2DBackpropInput', 'wasm');
  assert.deepEqual(registerWasmGradientKernels().sort(), [...missingBefore, ...REPLACED].sort());
  for (const name of GRADIENT_KERNELS) assert.ok(tf.getKernel(name, 'wasm'), `${name} registered`);
  assert.notEqual(tf.getKernel('Conv2DBackpropInput', 'wasm'), nativeInputGradient, 'the naive input gradient is replaced');
  assert.deepEqual(registerWasmGradientKernels(), []);
});

for (const [index, c] of CASES.entries()) {
  test(`${c.name}: wasm gradients equal cpu gradients`, async () => {
    registerWasmGradientKernels();
    const [wasmDx, wasmDw] = await valuesOn('wasm', () => inputAndFilterGradients(c, index));
    const [cpuDx, cpuDw] = await valuesOn('cpu', () => inputAndFilterGradients(c, index));
    assert.ok(maxScaledDifference(wasmDx, cpuDx) < TOLERANCE, `dx differs by ${maxScaledDifference(wasmDx, cpuDx)}`);
    assert.ok(maxScaledDifference(wasmDw, cpuDw) < TOLERANCE, `dw differs by ${maxScaledDifference(wasmDw, cpuDw)}`);
    assert.ok(cpuDw.some((v) => Math.abs(v) > 0.1), 'the filter gradient is not trivially zero');
  });
}

test('channels-first conv input gradients use the native wasm kernel and equal cpu', async () => {
  registerWasmGradientKernels();
  const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', inputShape: [2, 3, 6, 6] };
  const inputGradient = () => [tf.engine().runKernel('Conv2DBackpropInput', {
    dy: seededTensor([2, 4, 6, 6], 1, 'dy'),
    filter: seededTensor([3, 3, 3, 4], 1, 'w'),
  }, attrs) as tf.Tensor];
  const [wasmDx] = await valuesOn('wasm', inputGradient);
  const [cpuDx] = await valuesOn('cpu', inputGradient);
  assert.ok(maxScaledDifference(wasmDx, cpuDx) < TOLERANCE, `dx differs by ${maxScaledDifference(wasmDx, cpuDx)}`);
});

test('repeated gradient calls on wasm leave no tensors or wasm data behind', async () => {
  registerWasmGradientKernels();
  await tf.setBackend('wasm');
  const backend = tf.backend() as tf.KernelBackend & { numDataIds(): number };
  const runAll = () => CASES.forEach((c, i) => tf.dispose(inputAndFilterGradients(c, i)));
  runAll(); // warm-up: first calls may allocate lasting state
  const before = { tensors: tf.memory().numTensors, data: backend.numDataIds() };
  for (let round = 0; round < 3; round++) runAll();
  assert.deepEqual({ tensors: tf.memory().numTensors, data: backend.numDataIds() }, before);
});

test('Conv2DBackpropFilter on wasm rejects NCHW with an error naming the fix', async () => {
  registerWasmGradientKernels();
  await tf.setBackend('wasm');
  const x = tf.zeros([1, 2, 5, 5]);
  const dy = tf.zeros([1, 3, 5, 5]);
  const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [1, 1, 2, 3] };
  assert.throws(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs), /dataFormat 'NHWC'/);
  tf.dispose([x, dy]);
});
