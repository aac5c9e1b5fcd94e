// Where a training step's inputs come from: cached activations read from disk, or images decoded (and augmented) live.
import * as tf from '@tensorflow/tfjs';
import { imageBatches, type AugmentSpec, type Sample } from '../data';
import type { Preprocessing } from '../models/preprocess';
import { createRng, deriveSeed, shuffled } from '../random';
import type { CachedItem } from './features';
import type { FeatureStore } from './featureStore';
import { pixelsToInput } from './tensors';

export interface Batch {
  x: tf.Tensor;
  labels: tf.Tensor1D;
  size: number;
  paths: string[];
}

export interface BatchSource {
  /** Number of examples one epoch visits. */
  readonly count: number;
  /** Batches of one epoch; shuffled by (seed, epoch) when the source shuffles. Callers dispose each batch. */
  epoch(epoch: number, signal?: AbortSignal): AsyncIterable<Batch>;
  /** Files skipped while producing the last epoch (live sources only). */
  readonly skipped: { path: string; reason: string }[];
}

/** Reads activations from the store batch by batch: memory stays one batch whatever the dataset size. */
export function cachedSource(items: CachedItem[], store: FeatureStore, batchSize: number, shuffleSeed?: number): BatchSource {
  return {
    count: items.length,
    skipped: [],
    async *epoch(epoch, signal) {
      const order = shuffleSeed === undefined ? items : shuffled(items, createRng(deriveSeed(shuffleSeed, `epoch:${epoch}`)));
      for (let start = 0; start < order.length; start += batchSize) {
        signal?.throwIfAborted();
        const chunk = order.slice(start, start + batchSize);
        const values = new Float32Array(chunk.length * store.length);
        const rows = await Promise.all(chunk.map((item) => store.get(item.hash)));
        rows.forEach((row, i) => {
          if (!row) throw new Error(`feature cache entry for ${chunk[i].path} vanished during training — rerun to rebuild it`);
          values.set(row, i * store.length);
        });
        yield {
          x: tf.tensor(values, [chunk.length, ...store.shape]),
          labels: tf.tensor1d(chunk.map((item) => item.label), 'int32'),
          size: chunk.length,
          paths: chunk.map((item) => item.path),
        };
      }
    },
  };
}

export interface LiveOptions {
  inputSize: number;
  preprocessing: Preprocessing;
  batchSize: number;
  shuffleSeed?: number;
  augment?: AugmentSpec;
  /** Frozen layers run before the trainable part (no gradient flows through them). */
  frozen?: (input: tf.Tensor4D) => tf.Tensor;
}

/** Decodes images every epoch: needed when augmentation makes every epoch's inputs different. */
export function liveSource(samples: Sample[], options: LiveOptions): BatchSource {
  const skipped: { path: string; reason: string }[] = [];
  return {
    count: samples.length,
    skipped,
    async *epoch(epoch, signal) {
      skipped.length = 0;
      const seed = options.shuffleSeed;
      const batches = imageBatches(samples, {
        size: options.inputSize,
        batchSize: options.batchSize,
        shuffleSeed: seed === undefined ? undefined : deriveSeed(seed, `epoch:${epoch}`),
        augment: options.augment,
        augmentSeed: seed === undefined ? undefined : deriveSeed(seed, `augment:${epoch}`),
        signal,
      });
      for await (const batch of batches) {
        skipped.push(...batch.skipped);
        const x = tf.tidy(() => {
          const input = pixelsToInput(batch.pixels, options.inputSize, options.preprocessing);
          return options.frozen ? options.frozen(input) : input;
        });
        yield { x, labels: tf.tensor1d(batch.labels, 'int32'), size: batch.paths.length, paths: batch.paths };
      }
    },
  };
}
