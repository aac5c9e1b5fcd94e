// Streams decoded (optionally augmented) image batches with bounded look-ahead: memory stays at about two
// batches whatever the dataset size, and decoding overlaps with whatever the consumer does with a batch.
import { createRng, deriveSeed, shuffled } from '../random';
import { augmentImage, isAugmentActive, type AugmentSpec } from './augment';
import { decodeImage } from './decode';
import { DatasetError } from './errors';
import type { Sample } from './types';

export interface BatchOptions {
  size: number;
  batchSize: number;
  /** undefined keeps the given order. */
  shuffleSeed?: number;
  augment?: AugmentSpec;
  /** Pass a different seed each epoch to get fresh distortions; each image's draw depends only on seed and path. */
  augmentSeed?: number;
  /** Decodes running at once (default 4). */
  concurrency?: number;
  maxPixels?: number;
  signal?: AbortSignal;
  /** When no image could be read: throw (a dataset of nothing), or yield one empty batch that reports them (a subset
   * such as the files a cache lacks may be all bad files, already known). */
  noneReadable?: 'throw' | 'yield-empty';
}

export interface SkippedImage {
  path: string;
  reason: string;
}

export interface ImageBatch {
  /** batch*size*size*3 RGB bytes, HWC per image. */
  pixels: Uint8Array;
  labels: Int32Array;
  paths: string[];
  /** Images that failed to decode since the previous batch. */
  skipped: SkippedImage[];
}

interface Loaded {
  sample: Sample;
  pixels?: Uint8Array;
  reason?: string;
}

/** Counting semaphore: hands a freed slot straight to the next waiter so the limit is never exceeded. */
function semaphore(limit: number): () => Promise<() => void> {
  let free = limit;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return async () => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    return release;
  };
}

/** Resolves undefined as soon as the signal aborts. A fresh listener per wait: racing one long-lived abort promise
 * would keep every raced result (and its pixels) reachable from that promise's reactions. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (!signal) return promise;
  return new Promise((resolve) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then((value) => {
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
  });
}

function checkOptions(opts: BatchOptions): void {
  for (const key of ['size', 'batchSize', 'concurrency'] as const) {
    const value = opts[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) throw new RangeError(`batch option "${key}" must be a whole number ≥ 1, got ${value}`);
  }
}

/** The error for a set of images of which not one could be decoded; names the first and why. */
export function noneReadable(skipped: readonly SkippedImage[]): DatasetError {
  return new DatasetError(skipped[0].path, `none of the ${skipped.length} images could be read (this one: ${skipped[0].reason})`, 'Check that the files are images that open in an image viewer');
}

/** Validates eagerly, so a bad option fails at the call rather than at the first batch. */
export function imageBatches(samples: readonly Sample[], opts: BatchOptions): AsyncGenerator<ImageBatch> {
  checkOptions(opts);
  return stream(samples, opts);
}

async function* stream(samples: readonly Sample[], opts: BatchOptions): AsyncGenerator<ImageBatch> {
  const { size, batchSize, signal } = opts;
  const order = opts.shuffleSeed === undefined ? samples : shuffled(samples, createRng(opts.shuffleSeed));
  const acquire = semaphore(opts.concurrency ?? 4);
  const lookahead = Math.max(batchSize, opts.concurrency ?? 4);
  let stopped = false;

  const load = async (sample: Sample): Promise<Loaded> => {
    const release = await acquire();
    try {
      if (stopped || signal?.aborted) return { sample, reason: 'cancelled' };
      const result = await decodeImage(sample.path, size, { maxPixels: opts.maxPixels });
      if (!result.ok) return { sample, reason: result.reason };
      if (!opts.augment || !isAugmentActive(opts.augment)) return { sample, pixels: result.pixels };
      const rng = createRng(deriveSeed(opts.augmentSeed ?? 0, `augment:${sample.path}`));
      return { sample, pixels: augmentImage(result.pixels, size, opts.augment, rng) };
    } finally {
      release();
    }
  };

  const pending: Promise<Loaded>[] = [];
  let started = 0;
  let current: Loaded[] = [];
  let skipped: SkippedImage[] = [];
  try {
    for (let i = 0; i < order.length && !signal?.aborted; i++) {
      while (started < order.length && started < i + lookahead) pending.push(load(order[started++]));
      const item = await untilAborted(pending.shift()!, signal);
      if (!item || signal?.aborted) return;
      if (!item.pixels) {
        skipped.push({ path: item.sample.path, reason: item.reason! });
        continue;
      }
      // A full batch waits for the next good image so failures just after it are still reported with it.
      if (current.length === batchSize) {
        yield pack(current, skipped, size);
        current = [];
        skipped = [];
      }
      current.push(item);
    }
    if (signal?.aborted) return;
    if (current.length > 0) yield pack(current, skipped, size);
    else if (skipped.length > 0 && opts.noneReadable === 'yield-empty') yield pack([], skipped, size);
    else if (skipped.length > 0) throw noneReadable(skipped);
  } finally {
    stopped = true;
  }
}

function pack(items: Loaded[], skipped: SkippedImage[], size: number): ImageBatch {
  const stride = size * size * 3;
  const pixels = new Uint8Array(items.length * stride);
  items.forEach((item, i) => pixels.set(item.pixels!, i * stride));
  return { pixels, labels: Int32Array.from(items, (item) => item.sample.label), paths: items.map((item) => item.sample.path), skipped };
}
