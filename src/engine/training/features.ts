// Runs frozen layers over images once and keeps the outputs in the feature store; later epochs and reruns read them.
import * as tf from '@tensorflow/tfjs';
import { imageBatches, type ImageBatch, type Sample } from '../data';
import type { Preprocessing } from '../models/preprocess';
import { fileSha256, type FeatureStore } from './featureStore';
import { acquirePool, releaseAllPools, releasePool, type ForwardPool } from './parallelPool';
import type { FrozenRecipe } from './parallelRecipe';
import { pixelsToInput } from './tensors';

export interface CachedItem {
  hash: string;
  label: number;
  path: string;
}

export interface ActivationJob {
  samples: Sample[];
  store: FeatureStore;
  /** Frozen computation from the preprocessed input to the stored output. */
  forward: (input: tf.Tensor4D) => tf.Tensor;
  inputSize: number;
  preprocessing: Preprocessing;
  batchSize: number;
  /** How worker threads rebuild `forward`; without it every batch runs in this thread. */
  recipe?: FrozenRecipe;
  /** 'auto' (default): workers once the first batch shows the rest would take longer than starting them. */
  workers?: 'auto' | 'always' | 'never';
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface ActivationResult {
  items: CachedItem[];
  skipped: { path: string; reason: string }[];
  computed: number;
  /** For logs: which threads computed, e.g. "2 worker threads (started in 1.3 s)". */
  computedBy: string;
}

/** Starting workers (tfjs and a model each) takes 1–2 s; below this estimate one thread finishes first. */
const WORKERS_PAY_OFF_MS = 4000;
const FILE_CONCURRENCY = 8;

/** Content hash of each sample ('' when unreadable) and whether the store already has its activation. */
async function lookUp(samples: Sample[], store: FeatureStore): Promise<{ hashes: string[]; cached: boolean[] }> {
  const hashes: string[] = new Array(samples.length);
  const cached: boolean[] = new Array(samples.length);
  let next = 0;
  const worker = async () => {
    while (next < samples.length) {
      const i = next++;
      hashes[i] = await fileSha256(samples[i].path).catch(() => '');
      cached[i] = hashes[i] !== '' && (await store.has(hashes[i]));
    }
  };
  await Promise.all(Array.from({ length: FILE_CONCURRENCY }, worker));
  return { hashes, cached };
}

type Compute = (pixels: Uint8Array, count: number) => Promise<Float32Array>;

function inThisThread(job: ActivationJob): Compute {
  return async (pixels) => {
    const output = tf.tidy(() => job.forward(pixelsToInput(pixels, job.inputSize, job.preprocessing)));
    const values = (await output.data()) as Float32Array;
    output.dispose();
    return values;
  };
}

async function startPool(job: ActivationJob): Promise<{ pool?: ForwardPool; note: string }> {
  try {
    const pool = await acquirePool(job.recipe!);
    if (!pool) return { note: 'this thread (no worker script beside the bundle)' };
    return { pool, note: `${pool.size} worker threads (started in ${(pool.startupMs / 1000).toFixed(1)} s)` };
  } catch (error) {
    return { note: `this thread (workers failed to start: ${(error as Error).message})` };
  }
}

/** Ensures every decodable sample has its activation in the store; returns the items that do. */
export async function ensureActivations(job: ActivationJob): Promise<ActivationResult> {
  const { hashes, cached } = await lookUp(job.samples, job.store);
  const hashByPath = new Map(job.samples.map((s, i) => [s.path, hashes[i]]));
  const unreadable = job.samples.filter((_, i) => hashes[i] === '').map((s) => ({ path: s.path, reason: 'unreadable file' }));
  const missing = job.samples.filter((_, i) => hashes[i] !== '' && !cached[i]);
  const skipped = [...unreadable];
  const width = job.store.length;
  let done = 0;
  job.onProgress?.(0, missing.length);
  const save = async (batch: ImageBatch, values: Float32Array) => {
    await Promise.all(batch.paths.map((path, row) => job.store.put(hashByPath.get(path)!, values.subarray(row * width, (row + 1) * width))));
    done += batch.paths.length + batch.skipped.length;
    job.onProgress?.(done, missing.length);
  };

  const mode = job.recipe ? job.workers ?? 'auto' : 'never';
  let compute = inThisThread(job);
  let limit = 1;
  let computedBy = 'this thread';
  let pool: ForwardPool | undefined;
  const useWorkers = async () => {
    const started = await startPool(job);
    computedBy = started.note;
    pool = started.pool;
    if (pool) [compute, limit] = [pool.run.bind(pool), pool.capacity];
  };
  if (mode === 'always' && missing.length > 0) await useWorkers();

  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let batchesSeen = 0;
  try {
    for await (const batch of imageBatches(missing, { size: job.inputSize, batchSize: job.batchSize, signal: job.signal })) {
      skipped.push(...batch.skipped);
      const started = performance.now();
      const task: Promise<void> = compute(batch.pixels, batch.paths.length)
        .then((values) => save(batch, values))
        .catch((error) => void (failure ??= error))
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      while (inFlight.size >= limit) await Promise.race(inFlight);
      if (failure) throw failure;
      if (mode === 'auto' && ++batchesSeen === 1) {
        const remaining = Math.ceil((missing.length - done) / job.batchSize);
        if (remaining * (performance.now() - started) > WORKERS_PAY_OFF_MS) await useWorkers();
      }
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
  } catch (error) {
    await releaseAllPools();
    throw error;
  } finally {
    if (pool) releasePool();
  }
  job.signal?.throwIfAborted();
  const bad = new Set(skipped.map((s) => s.path));
  const items = job.samples
    .map((s, i) => ({ hash: hashes[i], label: s.label, path: s.path }))
    .filter((item) => item.hash && !bad.has(item.path));
  return { items, skipped, computed: missing.length - (skipped.length - unreadable.length), computedBy };
}
