import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { selectEngine } from '../../../src/engine/backend/select';
import { jsLoops, loopsOn, type Loops } from '../../../src/engine/backend/simd/loops';
import { loopsFor } from '../../../src/engine/backend/wasmKernelCalls';
import { seededValues } from './backendParity';

/** Odd sizes so that every loop runs its 4-wide body and its scalar tail. */
const ROWS = 13;
const COLUMNS = 7;

async function wasmLoops(): Promise<{ backend: BackendWasm; loops: Loops }> {
  await selectEngine('wasm');
  await tf.setBackend('wasm');
  const backend = tf.backend() as BackendWasm;
  return { backend, loops: loopsFor(backend) };
}

/** Runs `work` on views into wasm memory holding `inputs` and a zeroed output of `outSize` floats; returns the output. */
function onWasmMemory(backend: BackendWasm, inputs: Float32Array[], outSize: number, work: (views: Float32Array[], out: Float32Array) => void): Float32Array {
  const tensors = [...inputs.map((values) => tf.tensor(values)), tf.zeros([outSize])];
  try {
    // views taken after every allocation: growing wasm memory detaches earlier ones
    const views = tensors.map((t) => backend.typedArrayFromHeap(t) as Float32Array);
    work(views.slice(0, -1), views[views.length - 1]);
    return views[views.length - 1].slice();
  } finally {
    tf.dispose(tensors);
  }
}

function values(size: number, tag: string): Float32Array {
  return Float32Array.from(seededValues(size, 7, tag), (v) => v * 8);
}

test('the SIMD loops load on the wasm backend memory once built (esbuild.mjs assembles loops.wat into dist/)', async () => {
  const { loops } = await wasmLoops();
  assert.equal(loops.kind, 'simd');
});

test('without a wasm memory, or on shared memory, kernels fall back to the JS loops and say why', () => {
  for (const [memory, why] of [[undefined, /no memory/], [{ buffer: new SharedArrayBuffer(64) }, /threads \(shared memory\)/]] as const) {
    const loops = loopsOn(memory);
    assert.equal(loops.kind, 'js');
    assert.equal(loops.columnSums, jsLoops.columnSums);
    assert.match(loops.fallback ?? '', why);
  }
});

test('SIMD clipGradient equals the JS loop bit for bit, bounds, NaN, −∞ and −0 included', async () => {
  const { backend, loops } = await wasmLoops();
  const n = ROWS * COLUMNS;
  const x = values(n, 'x').map((v, i) => (i % 11 === 0 ? 0 : i % 13 === 0 ? 6 : v));
  const dy = values(n, 'dy').map((v, i) => (i % 5 === 0 ? NaN : i % 7 === 0 ? -Infinity : i % 9 === 0 ? -0 : v));
  const expected = new Float32Array(n);
  jsLoops.clipGradient(dy, x, expected, 0, 6);
  const actual = onWasmMemory(backend, [dy, x], n, ([d, xs], out) => loops.clipGradient(d, xs, out, 0, 6));
  assert.deepEqual(new Uint32Array(actual.buffer), new Uint32Array(expected.buffer));
  assert.ok(expected.some((v) => v === 0) && expected.some((v) => v !== 0), 'both sides of the bounds are exercised');
});

test('SIMD columnSums equals the JS loop exactly', async () => {
  const { backend, loops } = await wasmLoops();
  const x = values(ROWS * COLUMNS, 'sums');
  const expected = new Float32Array(COLUMNS);
  jsLoops.columnSums(x, expected);
  assert.deepEqual(onWasmMemory(backend, [x], COLUMNS, ([xs], out) => loops.columnSums(xs, out)), expected);
});

test('SIMD columnCenteredDots and multiplyAdd equal the JS loops to float32 rounding', async () => {
  const { backend, loops } = await wasmLoops();
  const [a, b, center] = [values(ROWS * COLUMNS, 'a'), values(ROWS * COLUMNS, 'b'), values(COLUMNS, 'center')];
  const dots = new Float32Array(COLUMNS);
  jsLoops.columnCenteredDots(a, b, center, dots);
  const simdDots = onWasmMemory(backend, [a, b, center], COLUMNS, ([as, bs, cs], out) => loops.columnCenteredDots(as, bs, cs, out));
  // acc[1 + i] += a[2 + i]·b[3 + i] over 13·7 − 5 floats: offsets that are not multiples of 4 floats
  const n = ROWS * COLUMNS - 5;
  const accumulated = values(ROWS * COLUMNS, 'acc');
  const expected = accumulated.slice();
  jsLoops.multiplyAdd(expected, 1, a, 2, b, 3, n);
  const simdSums = onWasmMemory(backend, [a, b, accumulated], ROWS * COLUMNS, ([as, bs, acc], out) => {
    out.set(acc);
    loops.multiplyAdd(out, 1, as, 2, bs, 3, n);
  });
  for (const [actual, wanted] of [[simdDots, dots], [simdSums, expected]] as const) {
    actual.forEach((v, i) => assert.ok(Math.abs(v - wanted[i]) <= 1e-5 * Math.max(1, Math.abs(wanted[i])), `${v} vs ${wanted[i]} at ${i}`));
  }
  assert.equal(simdSums[0], accumulated[0], 'nothing before acc offset 1 is touched');
  assert.equal(simdSums[n + 1], accumulated[n + 1], 'nothing after n floats is touched');
});
