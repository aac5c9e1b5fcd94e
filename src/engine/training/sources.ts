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
  /** Batches of one epoch; shuffled by (seed, epoch) when the source shuffles. Callers dispose each batch.
   * A stop throws the signal's reason: an epoch cut short must never look like one that ended. */
  epoch(epoch: number, signal?: AbortSignal): AsyncIterable<Batch>;
  /** Files skipped while producing the last epoch (live sources only). */
  readonly skipped: { path: string; reason: string }[];
}

/** Activations up to this size are read from disk once per source and kept: later epochs and reruns then read no files. */
const RESIDENT_BYTES = 64 * 2 ** 20;
/** Evaluation needs no gradients, so cached rows go through in batches of about this size: fewer, larger kernel calls. */
const EVALUATION_BATCH_BYTES = 8 * 2 ** 20;
const MAX_EVALUATION_BATCH = 1024;

/** The batch size to evaluate cached rows of `rowLength` floats with (none cached: the training batch size), never below it. */
export function evaluationBatchSize(batchSize: number, rowLength: number | undefined): number {
  if (rowLength === undefined) return batchSize;
  return Math.max(batchSize, Math.min(MAX_EVALUATION_BATCH, Math.floor(EVALUATION_BATCH_BYTES / (rowLength * 4))));
}

/** Cache files read at once: a resident read of thousands of rows must stay below the open-files limit (EMFILE). */
const READ_CONCURRENCY = 32;

/** How a row source reads one item's cached activation. */
export interface RowReader<T extends CachedItem> {
  shape: number[];
  read(item: T): Promise<Float32Array | undefined>;
}

/** Reads the cached rows of `items` into `into`, in order, a few files at a time. */
export async function readRows<T extends CachedItem>(items: T[], rows: RowReader<T>, width: number, into: Float32Array): Promise<void> {
  let next = 0;
  const reader = async () => {
    for (let i = next++; i < items.length; i = next++) {
      const row = await rows.read(items[i]);
      if (!row) throw new Error(`feature cache entry for ${items[i].path} vanished while in use — run again to rebuild it`);
      into.set(row, i * width);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, items.length) }, reader));
}

/**
 * Serves cached activations of `universe`, visiting `visit(epoch)` (items of the universe, in order) each epoch: all of
 * them from memory when they fit in `residentBytes`, otherwise read batch by batch so memory stays one batch.
 */
export function rowSource<T extends CachedItem>(universe: T[], rows: RowReader<T>, batchSize: number, count: number, visit: (epoch: number) => T[], residentBytes = RESIDENT_BYTES): BatchSource {
  const width = rows.shape.reduce((a, b) => a * b, 1);
  let resident: Promise<Float32Array> | undefined;
  const residentRows = () => (resident ??= (async () => {
    const all = new Float32Array(universe.length * width);
    await readRows(universe, rows, width, all);
    return all;
  })());
  const fits = universe.length * width * 4 <= residentBytes;
  const position = new Map(universe.map((item, i) => [item, i]));
  return {
    count,
    skipped: [],
    async *epoch(epoch, signal) {
      const order = visit(epoch);
      const all = fits ? await residentRows() : undefined;
      for (let start = 0; start < order.length; start += batchSize) {
        signal?.throwIfAborted();
        const chunk = order.slice(start, start + batchSize);
        const values = new Float32Array(chunk.length * width);
        if (all) chunk.forEach((item, i) => values.set(all.subarray(position.get(item)! * width, (position.get(item)! + 1) * width), i * width));
        else await readRows(chunk, rows, width, values);
        yield {
          x: tf.tensor(values, [chunk.length, ...rows.shape]),
          labels: tf.tensor1d(chunk.map((item) => item.label), 'int32'),
          size: chunk.length,
          paths: chunk.map((item) => item.path),
        };
      }
    },
  };
}

/** Serves one store's activations of `items`, shuffled by (seed, epoch) when a seed is given. */
export function cachedSource(items: CachedItem[], store: FeatureStore, batchSize: number, shuffleSeed?: number, residentBytes = RESIDENT_BYTES): BatchSource {
  const visit = (epoch: number) => (shuffleSeed === undefined ? items : shuffled(items, createRng(deriveSeed(shuffleSeed, `epoch:${epoch}`))));
  return rowSource(items, { shape: store.shape, read: (item) => store.get(item.hash) }, batchSize, items.length, visit, residentBytes);
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
      // imageBatches just ends on a stop; without this, a fine-tune of every layer (nothing cached) logged empty epochs
      signal?.throwIfAborted();
    },
  };
}
