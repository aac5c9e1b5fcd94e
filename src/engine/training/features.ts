// Runs frozen layers over images once and keeps the outputs in the feature store; later epochs and reruns read them.
import * as tf from '@tensorflow/tfjs';
import { imageBatches, type Sample } from '../data';
import type { Preprocessing } from '../models/preprocess';
import { fileSha256, type FeatureStore } from './featureStore';
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
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface ActivationResult {
  items: CachedItem[];
  skipped: { path: string; reason: string }[];
  computed: number;
}

async function hashAll(samples: Sample[]): Promise<string[]> {
  const hashes: string[] = new Array(samples.length);
  let next = 0;
  const worker = async () => {
    while (next < samples.length) {
      const i = next++;
      hashes[i] = await fileSha256(samples[i].path).catch(() => '');
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return hashes;
}

/** Ensures every decodable sample has its activation in the store; returns the items that do. */
export async function ensureActivations(job: ActivationJob): Promise<ActivationResult> {
  const hashes = await hashAll(job.samples);
  const hashByPath = new Map(job.samples.map((s, i) => [s.path, hashes[i]]));
  const unreadable = job.samples.filter((_, i) => hashes[i] === '').map((s) => ({ path: s.path, reason: 'unreadable file' }));
  const missing: Sample[] = [];
  for (let i = 0; i < job.samples.length; i++) {
    if (hashes[i] && !(await job.store.has(hashes[i]))) missing.push(job.samples[i]);
  }
  const skipped = [...unreadable];
  let done = 0;
  job.onProgress?.(0, missing.length);
  for await (const batch of imageBatches(missing, { size: job.inputSize, batchSize: job.batchSize, signal: job.signal })) {
    skipped.push(...batch.skipped);
    const output = tf.tidy(() => job.forward(pixelsToInput(batch.pixels, job.inputSize, job.preprocessing)));
    const values = (await output.data()) as Float32Array;
    output.dispose();
    const width = job.store.length;
    await Promise.all(batch.paths.map((path, row) => job.store.put(hashByPath.get(path)!, values.subarray(row * width, (row + 1) * width))));
    done += batch.paths.length + batch.skipped.length;
    job.onProgress?.(done, missing.length);
  }
  job.signal?.throwIfAborted();
  const bad = new Set(skipped.map((s) => s.path));
  const items = job.samples
    .map((s, i) => ({ hash: hashes[i], label: s.label, path: s.path }))
    .filter((item) => item.hash && !bad.has(item.path));
  return { items, skipped, computed: missing.length - (skipped.length - unreadable.length) };
}
