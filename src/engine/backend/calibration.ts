// How fast this process multiplies matrices on its tfjs backend: one fixed matmul, timed. The catalog's forward costs
// are in units of this matmul, so the wizard can say how long a base takes here without running it.
import * as tf from '@tensorflow/tfjs';
import type { MachineSpeed } from '../../protocol/host';
import { defaultWorkerCount } from '../training/parallelPool';

const N = 256;
const WARM_UP = 3;
/** Long enough to average over the scheduler's time slices, so a busy machine measures as busy. */
export const CALIBRATION_SECONDS = 0.2;

/** GFLOP/s of N×N float32 matmuls on the current backend, repeated for `seconds` after a warm-up. */
export function matmulGflops(seconds = CALIBRATION_SECONDS): number {
  const a = tf.randomUniform([N, N]);
  const b = tf.randomUniform([N, N]);
  const once = () => tf.tidy(() => tf.matMul(a, b)).dataSync();
  try {
    for (let i = 0; i < WARM_UP; i++) once();
    const started = performance.now();
    let reps = 0;
    while (performance.now() - started < seconds * 1000) {
      once();
      reps++;
    }
    return (2 * N ** 3 * reps) / ((performance.now() - started) / 1000) / 1e9;
  } finally {
    a.dispose();
    b.dispose();
  }
}

let measured: MachineSpeed | undefined;

/** Measured once per process (≈ 0.2 s); wasm computes frozen outputs on a worker per core, other backends thread inside. */
export function machineSpeed(): MachineSpeed {
  measured ??= { gflops: matmulGflops(), threads: tf.getBackend() === 'wasm' ? defaultWorkerCount() : 1, backend: tf.getBackend() };
  return measured;
}
