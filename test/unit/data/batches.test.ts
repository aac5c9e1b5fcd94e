import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { DatasetError, imageBatches, type BatchOptions, type ImageBatch, type Sample } from '../../../src/engine/data';
import { assertClose, pixelAt, solid, tempDir, touch, type Rgb } from './fixtures';

const SIZE = 4;

function colourOf(i: number): Rgb {
  return [(i * 40) % 256, 255 - ((i * 40) % 256), (i * 90) % 256];
}

/** Eleven solid-colour PNGs (label = index % 3) with a text file posing as a JPEG at position 4. */
async function dataset(t: TestContext): Promise<Sample[]> {
  const dir = tempDir(t);
  const samples: Sample[] = [];
  for (let i = 0; i < 11; i++) {
    const path = join(dir, `img-${String(i).padStart(2, '0')}.png`);
    await solid(6, 6, colourOf(i)).png().toFile(path);
    samples.push({ path, label: i % 3 });
  }
  samples.splice(4, 0, { path: touch(join(dir, 'fake.jpg'), 'not a picture'), label: 2 });
  return samples;
}

async function collect(samples: Sample[], opts: Partial<BatchOptions> = {}): Promise<ImageBatch[]> {
  const batches: ImageBatch[] = [];
  for await (const batch of imageBatches(samples, { size: SIZE, batchSize: 3, ...opts })) batches.push(batch);
  return batches;
}

test('keeps order, packs pixels and labels, reports the bad file once and yields no empty batch', async (t) => {
  const samples = await dataset(t);
  const batches = await collect(samples);
  const good = samples.filter((s) => !s.path.endsWith('fake.jpg'));
  assert.deepEqual(batches.flatMap((b) => b.paths), good.map((s) => s.path));
  assert.deepEqual(batches.flatMap((b) => [...b.labels]), good.map((s) => s.label));
  const fullBatches = Math.floor(good.length / 3);
  assert.deepEqual(batches.map((b) => b.paths.length), [...Array(fullBatches).fill(3), good.length - 3 * fullBatches].filter(Boolean));
  for (const batch of batches) assert.equal(batch.pixels.length, batch.paths.length * SIZE * SIZE * 3);
  batches.forEach((batch, b) => batch.paths.forEach((path, i) => {
    const image = batch.pixels.subarray(i * SIZE * SIZE * 3, (i + 1) * SIZE * SIZE * 3);
    assertClose(pixelAt(image, SIZE, 2, 2), colourOf(good.findIndex((s) => s.path === path)), 2, `batch ${b} image ${i}`);
  }));
  const skipped = batches.flatMap((b) => b.skipped);
  assert.deepEqual(skipped, [{ path: samples[4].path, reason: 'not an image (text file named .jpg)' }]);
});

test('a shuffle seed gives a repeatable permutation; augmentation is seeded and concurrency-independent', async (t) => {
  const samples = await dataset(t);
  const order = async (opts: Partial<BatchOptions>): Promise<string[]> => (await collect(samples, opts)).flatMap((b) => b.paths);
  const first = await order({ shuffleSeed: 1 });
  assert.deepEqual(await order({ shuffleSeed: 1, concurrency: 1 }), first);
  assert.notDeepEqual(await order({ shuffleSeed: 2 }), first);
  assert.deepEqual([...first].sort(), (await order({})).sort());
  const augment = { flip: true, rotationDeg: 30, brightness: 0.2 };
  const pixels = async (opts: Partial<BatchOptions>): Promise<number[]> => (await collect(samples, { augment, ...opts })).flatMap((b) => [...b.pixels]);
  const seeded = await pixels({ augmentSeed: 3, concurrency: 4 });
  assert.deepEqual(await pixels({ augmentSeed: 3, concurrency: 1 }), seeded);
  assert.notDeepEqual(await pixels({ augmentSeed: 4 }), seeded);
  assert.notDeepEqual((await collect(samples)).flatMap((b) => [...b.pixels]), seeded);
});

test('aborting stops the stream; an aborted signal yields nothing', async (t) => {
  const samples = await dataset(t);
  const controller = new AbortController();
  const seen: ImageBatch[] = [];
  for await (const batch of imageBatches(samples, { size: SIZE, batchSize: 2, signal: controller.signal })) {
    seen.push(batch);
    controller.abort();
  }
  assert.equal(seen.length, 1);
  assert.deepEqual(await collect(samples, { signal: AbortSignal.abort() }), []);
});

test('when no image can be read the stream fails with a DatasetError; no samples means no batches', async (t) => {
  const dir = tempDir(t);
  const bad = [0, 1].map((i) => ({ path: touch(join(dir, `${i}.png`), ''), label: i }));
  await assert.rejects(collect(bad), (error: unknown) => error instanceof DatasetError && /none of the 2 images/.test(error.message));
  assert.deepEqual(await collect([]), []);
  assert.throws(() => imageBatches([], { size: SIZE, batchSize: 0 }).next(), /batchSize/);
  // a subset known to hold only the files a cache lacks: one empty batch reports them instead
  const [reported, ...rest] = await collect(bad, { noneReadable: 'yield-empty' });
  assert.equal(rest.length, 0);
  assert.deepEqual([reported.paths, reported.pixels.length, reported.skipped.map((s) => s.path)], [[], 0, bad.map((b) => b.path)]);
});
