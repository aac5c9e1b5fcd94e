// Runs the frozen part of BERT over texts once and keeps its outputs in the image path's feature store (keyed by
// the checkpoint, the tokenizer, maxLength and the output), so later epochs, phases and reruns only read them.
import * as tf from '@tensorflow/tfjs';
import type { Sample } from '../data/types';
import type { CachedItem } from '../training/features';
import { sha256, type FeatureStore } from '../training/featureStore';
import type { TextTokenizer } from './tokenizer';

export interface TextFeatureJob {
  samples: Sample[];
  texts: Map<string, string>;
  store: FeatureStore;
  tokenizer: TextTokenizer;
  maxLength: number;
  batchSize: number;
  /** Token ids [B, L] → outputs [B, ...] (sequence outputs [B, L, C] are zero-padded to the store's length). */
  compute: (ids: tf.Tensor2D) => tf.Tensor;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Ensures every sample's output is in the store; returns one cache item per sample. */
export async function ensureTextFeatures(job: TextFeatureJob): Promise<CachedItem[]> {
  const items = job.samples.map((s) => ({ hash: sha256(job.texts.get(s.path)!), label: s.label, path: s.path }));
  const cached = await Promise.all(items.map((item) => job.store.has(item.hash)));
  const missing = items.filter((_, i) => !cached[i]);
  // Similar lengths share a batch, so padding to each batch's longest wastes little (long e-mails, short SMS).
  const encoded = missing.map((item) => ({ item, ids: job.tokenizer.encode(job.texts.get(item.path)!, job.maxLength).ids }));
  encoded.sort((a, b) => a.ids.length - b.ids.length);
  const width = job.store.length;
  job.onProgress?.(0, missing.length);
  for (let start = 0; start < encoded.length; start += job.batchSize) {
    job.signal?.throwIfAborted();
    const chunk = encoded.slice(start, start + job.batchSize);
    const length = chunk.at(-1)!.ids.length;
    const ids = new Int32Array(chunk.length * length).fill(job.tokenizer.padId);
    chunk.forEach((e, row) => ids.set(e.ids, row * length));
    const output = tf.tidy(() => {
      const out = job.compute(tf.tensor2d(ids, [chunk.length, length], 'int32'));
      const padTo = job.store.shape.length === 2 ? job.store.shape[0] : length;
      return out.rank === 3 && padTo > length ? tf.pad(out, [[0, 0], [0, padTo - length], [0, 0]]) : out;
    });
    const values = (await output.data()) as Float32Array;
    output.dispose();
    await Promise.all(chunk.map((e, row) => job.store.put(e.item.hash, values.subarray(row * width, (row + 1) * width))));
    job.onProgress?.(start + chunk.length, missing.length);
  }
  return items;
}
