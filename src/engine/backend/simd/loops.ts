// The inner loops of Transfer Lab's gradient kernels, in two forms with one interface: SIMD wasm (loops.wat, compiled
// at build time into dist/) running on the wasm backend's own memory, and plain JS for the cpu backend or wherever
// the module cannot run (a shared-memory threaded build, a missing build). JS does ≈1 float per 2 ns here; the SIMD
// loops ≈10× more, which decides a fine-tuning step's cost outside the convolutions.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Views into one memory; `at` offsets are in floats. */
export interface Loops {
  readonly kind: 'simd' | 'js';
  /** Why JS runs them where SIMD could (for the engine line of a run). */
  readonly fallback?: string;
  /** out = dy where min ≤ x ≤ max, else +0 (bounds included, as tfjs' own gradient; NaN in dy outside is dropped). */
  clipGradient(dy: Float32Array, x: Float32Array, out: Float32Array, min: number, max: number): void;
  /** acc[accAt + i] += a[aAt + i] · b[bAt + i] for i < n. */
  multiplyAdd(acc: Float32Array, accAt: number, a: Float32Array, aAt: number, b: Float32Array, bAt: number, n: number): void;
  /** out[c] = Σ_r x[r·C + c], C = out.length. */
  columnSums(x: Float32Array, out: Float32Array): void;
  /** out[c] = Σ_r a[r·C + c] · (b[r·C + c] − center[c]), C = out.length. */
  columnCenteredDots(a: Float32Array, b: Float32Array, center: Float32Array, out: Float32Array): void;
  /** One Adam step (see loops.wat's `adam`) from w, g, m, v into wOut, mOut, vOut, all of one length. */
  adam(inputs: AdamArrays, coefficients: AdamCoefficients): void;
}

export interface AdamArrays {
  w: Float32Array;
  g: Float32Array;
  m: Float32Array;
  v: Float32Array;
  wOut: Float32Array;
  mOut: Float32Array;
  vOut: Float32Array;
}

/** Float32 values as tfjs' Adam computes them: b1, 1 − b1, b2, 1 − b2, c1 = 1 − b1^t, c2 = 1 − b2^t, epsilon, −rate. */
export interface AdamCoefficients {
  b1: number;
  ob1: number;
  b2: number;
  ob2: number;
  c1: number;
  c2: number;
  eps: number;
  negLr: number;
}

export const jsLoops: Loops = {
  kind: 'js',
  clipGradient(dy, x, out, min, max) {
    for (let i = 0; i < out.length; i++) out[i] = x[i] >= min && x[i] <= max ? dy[i] : 0;
  },
  multiplyAdd(acc, accAt, a, aAt, b, bAt, n) {
    for (let i = 0; i < n; i++) acc[accAt + i] += a[aAt + i] * b[bAt + i];
  },
  columnSums(x, out) {
    const columns = out.length;
    out.fill(0);
    for (let at = 0; at < x.length; at += columns) {
      for (let c = 0; c < columns; c++) out[c] += x[at + c];
    }
  },
  columnCenteredDots(a, b, center, out) {
    const columns = out.length;
    out.fill(0);
    for (let at = 0; at < a.length; at += columns) {
      for (let c = 0; c < columns; c++) out[c] += a[at + c] * (b[at + c] - center[c]);
    }
  },
  adam({ w, g, m, v, wOut, mOut, vOut }, { b1, ob1, b2, ob2, c1, c2, eps, negLr }) {
    const f = Math.fround;
    for (let i = 0; i < w.length; i++) {
      const mi = f(f(m[i] * b1) + f(g[i] * ob1));
      const vi = f(f(v[i] * b2) + f(f(g[i] * g[i]) * ob2));
      mOut[i] = mi;
      vOut[i] = vi;
      wOut[i] = f(f(f(f(mi / c1) / f(f(Math.sqrt(f(vi / c2))) + eps)) * negLr) + w[i]);
    }
  },
};

/** What this module uses of the WebAssembly API (the project's lib has no DOM types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
const wasmApi = (globalThis as unknown as {
  WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => { exports: unknown } };
}).WebAssembly;

const LOOPS_WASM_FILE = 'transfer-lab-loops.wasm';

interface LoopExports {
  clipGradient(dy: number, x: number, out: number, n: number, min: number, max: number): void;
  multiplyAdd(acc: number, a: number, b: number, n: number): void;
  columnSums(x: number, rows: number, cols: number, out: number): void;
  columnCenteredDots(a: number, b: number, center: number, rows: number, cols: number, out: number): void;
  adam(w: number, g: number, m: number, v: number, wOut: number, mOut: number, vOut: number, n: number,
    b1: number, ob1: number, b2: number, ob2: number, c1: number, c2: number, eps: number, negLr: number): void;
}

/** dist/ beside the bundles; from the source tree (tests, bench) the same folder of the build. */
function moduleFile(): string {
  return basename(__dirname) === 'dist' ? join(__dirname, LOOPS_WASM_FILE) : join(__dirname, '../../../../dist', LOOPS_WASM_FILE);
}

function simdLoops(memory: WasmMemory, loops: LoopExports): Loops {
  /** Byte address of a view's float `at`; a view on other memory would be a bug, not a slow path. */
  const address = (view: Float32Array, at = 0): number => {
    if (view.buffer !== memory.buffer) throw new Error('SIMD loops were given an array outside the wasm backend\'s memory');
    return view.byteOffset + at * 4;
  };
  return {
    kind: 'simd',
    clipGradient: (dy, x, out, min, max) => loops.clipGradient(address(dy), address(x), address(out), out.length, min, max),
    multiplyAdd: (acc, accAt, a, aAt, b, bAt, n) => loops.multiplyAdd(address(acc, accAt), address(a, aAt), address(b, bAt), n),
    columnSums: (x, out) => loops.columnSums(address(x), x.length / out.length, out.length, address(out)),
    columnCenteredDots: (a, b, center, out) =>
      loops.columnCenteredDots(address(a), address(b), address(center), a.length / out.length, out.length, address(out)),
    adam: ({ w, g, m, v, wOut, mOut, vOut }, { b1, ob1, b2, ob2, c1, c2, eps, negLr }) =>
      loops.adam(address(w), address(g), address(m), address(v), address(wOut), address(mOut), address(vOut), w.length, b1, ob1, b2, ob2, c1, c2, eps, negLr),
  };
}

const bound = new WeakMap<WasmMemory, Loops>();
let compiled: object | string | undefined;

function compiledModule(): object | string {
  if (compiled === undefined) {
    try {
      compiled = new wasmApi.Module(readFileSync(moduleFile()));
    } catch (error) {
      compiled = `${LOOPS_WASM_FILE} did not load (${error instanceof Error ? error.message : String(error)}); \`node esbuild.mjs\` builds it`;
    }
  }
  return compiled;
}

/** The SIMD loops on `memory` when the module loads and the memory is unshared; the JS loops otherwise. */
export function loopsOn(memory: WasmMemory | undefined): Loops {
  if (!memory) return { ...jsLoops, fallback: 'the wasm backend exposes no memory' };
  if (!(memory.buffer instanceof ArrayBuffer)) return { ...jsLoops, fallback: 'the wasm backend runs threads (shared memory)' };
  const known = bound.get(memory);
  if (known) return known;
  const module = compiledModule();
  if (typeof module === 'string') return { ...jsLoops, fallback: module };
  const instance = new wasmApi.Instance(module, { env: { memory } });
  const loops = simdLoops(memory, instance.exports as unknown as LoopExports);
  bound.set(memory, loops);
  return loops;
}
