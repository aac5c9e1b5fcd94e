// How fast this process multiplies matrices on its tfjs backend: one fixed matmul, timed. The catalog's forward costs
// are in units of this matmul, so the wizard can say how long a base takes here without running it.
import * as tf from '@tensorflow/tfjs';
import type { MachineSpeed } from '../../protocol/host';
import { defaultWorkerCount } from '../training/parallelPool';

const N = 256;
const FLOP = 2 * N ** 3;
const WARM_UP = 3;
const PEAK_REPS = 30;
/** Long enough to average over the scheduler's time slices, so a machine busy with other jobs measures as busy. */
const CURRENT_SECONDS = 0.2;

/** Runs `measure` with two N×N matrices on the current backend, after a warm-up; no tensor is left behind. */
function withMatmul<T>(measure: (once: () => void) => T): T {
  const a = tf.randomUniform([N, N]);
  const b = tf.randomUniform([N, N]);
  const once = () => {
    const product = tf.matMul(a, b);
    product.dataSync();
    product.dispose();
  };
  try {
    for (let i = 0; i < WARM_UP; i++) once();
    return measure(once);
  } finally {
    a.dispose();
    b.dispose();
  }
}

/** Seconds of the fastest of `reps` runs of `work`. */
export function fastest(work: () => unknown, reps: number): number {
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    work();
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return best;
}

/**
 * GFLOP/s of the fastest of 30 matmuls (about a millisecond each): one that no other job interrupted, the machine's
 * own speed. The catalog's costs are measured against it (scripts/forwardCosts.ts).
 */
export function peakMatmulGflops(): number {
  return withMatmul((once) => FLOP / fastest(once, PEAK_REPS) / 1e9);
}

/** GFLOP/s of matmuls repeated for 0.2 s: what this process gets now, other jobs on the machine included. */
export function currentMatmulGflops(): number {
  return withMatmul((once) => {
    const started = performance.now();
    let reps = 0;
    do {
      once();
      reps++;
    } while (performance.now() - started < CURRENT_SECONDS * 1000);
    return (FLOP * reps) / ((performance.now() - started) / 1000) / 1e9;
  });
}

let measured: MachineSpeed | undefined;

/** Measured once per process; wasm computes frozen outputs on a worker per core, other backends thread inside. */
export function machineSpeed(): MachineSpeed {
  measured ??= { gflops: currentMatmulGflops(), threads: tf.getBackend() === 'wasm' ? defaultWorkerCount() : 1, backend: tf.getBackend() };
  return measured;
}
