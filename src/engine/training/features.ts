// Runs frozen layers over images once and keeps the outputs in the feature store; later epochs and reruns read them.
import { imageBatches, noneReadable, type AugmentSpec, type ImageBatch, type Sample } from '../data';
import type { FeatureStore } from './featureStore';
import { FileHashes } from './fileHashes';
import { FrozenCompute, type FrozenComputation } from './parallelCompute';

export interface CachedItem {
  hash: string;
  label: number;
  path: string;
}

export type ActivationJob = FrozenComputation & {
  samples: Sample[];
  store: FeatureStore;
  batchSize: number;
  /** With a frozenBase, 'auto' (default) adds workers once the first batch shows the rest would outlast their start. */
  workers?: 'auto' | 'always' | 'never';
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Distort each image (seeded per image) before the frozen layers: one cached augmented view. */
  augment?: { spec: AugmentSpec; seed: number };
  /** Never compute: when the cache lacks any readable sample, fail saying how many (a check that must stay cheap). */
  cachedOnly?: boolean;
};

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
async function lookUp(samples: Sample[], store: FeatureStore, fileHashes: FileHashes): Promise<{ hashes: string[]; cached: boolean[] }> {
  const hashes: string[] = new Array(samples.length);
  const cached: boolean[] = new Array(samples.length);
  let next = 0;
  const worker = async () => {
    while (next < samples.length) {
      const i = next++;
      hashes[i] = await fileHashes.hash(samples[i].path).catch(() => '');
      cached[i] = hashes[i] !== '' && (await store.has(hashes[i]));
    }
  };
  await Promise.all(Array.from({ length: FILE_CONCURRENCY }, worker));
  await fileHashes.save();
  return { hashes, cached };
}

/** Ensures every decodable sample has its activation in the store; returns the items that do. */
export async function ensureActivations(job: ActivationJob): Promise<ActivationResult> {
  const { hashes, cached } = await lookUp(job.samples, job.store, new FileHashes(job.store.cacheDir));
  const hashByPath = new Map(job.samples.map((s, i) => [s.path, hashes[i]]));
  const unreadable = job.samples.filter((_, i) => hashes[i] === '').map((s) => ({ path: s.path, reason: 'unreadable file' }));
  const missing = job.samples.filter((_, i) => hashes[i] !== '' && !cached[i]);
  if (job.cachedOnly && missing.length > 0) throw new Error(`${missing.length} of ${job.samples.length} images have no cached features for this base yet: Check Dataset computes them (one pass of the base)`);
  const skipped = [...unreadable];
  const width = job.store.length;
  let done = 0;
  job.onProgress?.(0, missing.length);
  const save = async (batch: ImageBatch, values: Float32Array) => {
    await Promise.all(batch.paths.map((path, row) => job.store.put(hashByPath.get(path)!, values.subarray(row * width, (row + 1) * width))));
    done += batch.paths.length + batch.skipped.length;
    job.onProgress?.(done, missing.length);
  };

  const compute = new FrozenCompute(job);
  const mode = compute.canUseWorkers ? job.workers ?? 'auto' : 'never';
  if (mode === 'always' && missing.length > 0) await compute.useWorkers();
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  try {
    for await (const batch of imageBatches(missing, { size: job.inputSize, batchSize: job.batchSize, signal: job.signal, noneReadable: 'yield-empty', augment: job.augment?.spec, augmentSeed: job.augment?.seed })) {
      skipped.push(...batch.skipped);
      if (batch.paths.length === 0) {
        done += batch.skipped.length;
        job.onProgress?.(done, missing.length);
        continue;
      }
      const started = performance.now();
      const first = done === 0 && inFlight.size === 0;
      const task: Promise<void> = compute.run(batch.pixels, batch.paths.length)
        .then((values) => save(batch, values))
        .catch((error) => void (failure ??= error))
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      while (inFlight.size >= compute.limit) await Promise.race(inFlight);
      if (failure) throw failure;
      const remaining = Math.ceil((missing.length - done) / job.batchSize);
      if (mode === 'auto' && first && remaining * (performance.now() - started) > WORKERS_PAY_OFF_MS) await compute.useWorkers();
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
  } finally {
    await compute.close(failure !== undefined);
  }
  job.signal?.throwIfAborted();
  const bad = new Set(skipped.map((s) => s.path));
  const items = job.samples
    .map((s, i) => ({ hash: hashes[i], label: s.label, path: s.path }))
    .filter((item) => item.hash && !bad.has(item.path));
  // the files the cache lacked may all be bad (a rerun, a resume, a later phase); the whole set may not
  if (items.length === 0 && skipped.length > 0) throw noneReadable(skipped);
  return { items, skipped, computed: missing.length - (skipped.length - unreadable.length), computedBy: compute.computedBy };
}
