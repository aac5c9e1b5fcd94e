// The machine's ceiling for tfjs wasm: a large float32 matmul on one thread, then on one worker thread per core
// at once; throughput figures read as a fraction of these.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const N = 1024;

type Message = { kind: 'ready' } | { kind: 'done'; gflops: number };

function next(worker: Worker): Promise<Message> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** GFLOP/s of `threads` threads multiplying at the same time (their sum). */
async function matmulGflops(threads: number, reps: number): Promise<number> {
  const workers = Array.from({ length: threads }, () => new Worker(join(__dirname, '..', 'matmulWorker.cjs'), { workerData: { n: N, reps } }));
  try {
    await Promise.all(workers.map(next));
    const done = workers.map(next);
    workers.forEach((w) => w.postMessage('go'));
    const results = (await Promise.all(done)) as { gflops: number }[];
    return results.reduce((sum, r) => sum + r.gflops, 0);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

export interface Ceiling {
  oneThreadGflops: number;
  allThreadsGflops: number;
  threads: number;
  description: string;
}

export async function machineCeiling(quick: boolean): Promise<Ceiling> {
  const reps = quick ? 5 : 20;
  const threads = availableParallelism();
  const oneThreadGflops = await matmulGflops(1, reps);
  const allThreadsGflops = await matmulGflops(threads, reps);
  return { oneThreadGflops, allThreadsGflops, threads, description: `${N}×${N} float32 matmul on tfjs wasm (XNNPACK), ${reps} repetitions per thread` };
}
