// How fast this process multiplies matrices on its tfjs backend: one fixed matmul, timed. The catalog's forward costs
// are in units of this matmul, so the wizard can say how long a base takes here without running it.
import * as tf from '@tensorflow/tfjs';
import type { MachineSpeed } from '../../protocol/host';
import { defaultWorkerCount } from '../training/parallelPool';

const N = 256;
const WARM_UP = 3;
const REPS = 30;

/**
 * GFLOP/s of one N×N float32 matmul on the current backend: the fastest of REPS after a warm-up. A matmul lasts about
 * a millisecond, so the fastest is one that other jobs did not interrupt: the machine's own speed, not its load.
 */
export function matmulGflops(): number {
  const a = tf.randomUniform([N, N]);
  const b = tf.randomUniform([N, N]);
  const once = () => {
    const product = tf.matMul(a, b);
    product.dataSync();
    product.dispose();
  };
  try {
    for (let i = 0; i < WARM_UP; i++) once();
    return (2 * N ** 3) / fastest(once, REPS) / 1e9;
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

let measured: MachineSpeed | undefined;

/** Measured once per process (≈ 0.05 s); wasm computes frozen outputs on a worker per core, other backends thread inside. */
export function machineSpeed(): MachineSpeed {
  measured ??= { gflops: matmulGflops(), threads: tf.getBackend() === 'wasm' ? defaultWorkerCount() : 1, backend: tf.getBackend() };
  return measured;
}
