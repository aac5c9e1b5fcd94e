// Batch sources of a text phase, in the image loop's BatchSource shape: token ids when the whole encoder runs, or
// cached frozen-part outputs read back from the feature store.
import * as tf from '@tensorflow/tfjs';
import type { Sample } from '../data/types';
import { createRng, deriveSeed, shuffled } from '../random';
import type { CachedItem } from '../training/features';
import type { FeatureStore } from '../training/featureStore';
import type { Batch, BatchSource } from '../training/sources';
import type { TextTokenizer } from './tokenizer';

function order<T>(items: readonly T[], epoch: number, shuffleSeed?: number): readonly T[] {
  return shuffleSeed === undefined ? items : shuffled(items, createRng(deriveSeed(shuffleSeed, `epoch:${epoch}`)));
}

/** Token ids [B, L] int32, padded to the batch's longest text (padding does not change results, only costs time). */
export function idsSource(samples: Sample[], texts: Map<string, string>, tokenizer: TextTokenizer, maxLength: number, batchSize: number, shuffleSeed?: number): BatchSource {
  return {
    count: samples.length,
    skipped: [],
    async *epoch(epoch, signal) {
      const visit = order(samples, epoch, shuffleSeed);
      for (let start = 0; start < visit.length; start += batchSize) {
        signal?.throwIfAborted();
        const chunk = visit.slice(start, start + batchSize);
        const encoded = tokenizer.encodeBatch(chunk.map((s) => texts.get(s.path)!), maxLength);
        yield {
          x: tf.tensor2d(encoded.ids, [encoded.count, encoded.length], 'int32'),
          labels: tf.tensor1d(chunk.map((s) => s.label), 'int32'),
          size: chunk.length,
          paths: chunk.map((s) => s.path),
        };
      }
    },
  };
}

/**
 * Cached hidden states with the attention mask as an extra last channel ([S, H + 1] per text, so one stored row
 * carries both), trimmed to the batch's longest real text so trainable layers skip all-padding positions.
 */
export function hiddenSource(items: CachedItem[], store: FeatureStore, batchSize: number, shuffleSeed?: number): BatchSource {
  const [length, channels] = store.shape;
  return {
    count: items.length,
    skipped: [],
    async *epoch(epoch, signal): AsyncGenerator<Batch> {
      const visit = order(items, epoch, shuffleSeed);
      for (let start = 0; start < visit.length; start += batchSize) {
        signal?.throwIfAborted();
        const chunk = visit.slice(start, start + batchSize);
        const rows = await Promise.all(chunk.map((item) => store.get(item.hash)));
        const realLength = (row: Float32Array) => {
          let n = 0;
          while (n < length && row[n * channels + channels - 1] > 0) n++;
          return n;
        };
        const keep = Math.max(1, ...rows.map((row, i) => {
          if (!row) throw new Error(`feature cache entry for ${chunk[i].path} vanished during training — rerun to rebuild it`);
          return realLength(row);
        }));
        const values = new Float32Array(chunk.length * keep * channels);
        rows.forEach((row, i) => values.set(row!.subarray(0, keep * channels), i * keep * channels));
        yield {
          x: tf.tensor3d(values, [chunk.length, keep, channels]),
          labels: tf.tensor1d(chunk.map((item) => item.label), 'int32'),
          size: chunk.length,
          paths: chunk.map((item) => item.path),
        };
      }
    },
  };
}
