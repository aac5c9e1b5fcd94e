import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeatureStore, sha256, type FeatureKey } from '../../../src/engine/training/featureStore';

const key: FeatureKey = { modelFingerprint: 'abc', output: 'pooled:out_relu:avg', inputSize: 96, preprocessing: 'scale-0-1', resize: 'fill' };

test('activations round-trip bit-exactly and misses are undefined', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tl-store-'));
  const store = new FeatureStore(dir, key, [2, 3]);
  const values = Float32Array.from([1.5, -2, 0, Math.PI, 1e-30, -0]);
  const hash = sha256('image bytes');
  assert.equal(await store.has(hash), false);
  assert.equal(await store.get(hash), undefined);
  await store.put(hash, values);
  assert.equal(await store.has(hash), true);
  assert.deepEqual(await store.get(hash), values);
});

test('a subarray is stored as itself, not its whole buffer', async () => {
  const store = new FeatureStore(await mkdtemp(join(tmpdir(), 'tl-store-')), key, [2]);
  const batch = Float32Array.from([1, 2, 3, 4, 5, 6]);
  await store.put('aa11', batch.subarray(2, 4));
  assert.deepEqual(await store.get('aa11'), Float32Array.from([3, 4]));
});

test('any change of model, layer, size or preprocessing is a different cache', () => {
  const dir = '/cache';
  const folders = new Set(
    [key, { ...key, modelFingerprint: 'abd' }, { ...key, output: 'block_15_add' }, { ...key, inputSize: 128 }, { ...key, preprocessing: 'scale-minus1-1' }]
      .map((k) => new FeatureStore(dir, k, [4]).folder),
  );
  assert.equal(folders.size, 5);
});

test('a file of the wrong size (a torn or foreign write) is a miss, and writes leave no temp files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tl-store-'));
  const store = new FeatureStore(dir, key, [4]);
  await store.put('bb22', Float32Array.from([1, 2, 3, 4]));
  const entries = await readdir(join(store.folder, 'bb'));
  assert.deepEqual(entries, ['bb22.f32']);
  await writeFile(join(store.folder, 'bb', 'bb22.f32'), Buffer.alloc(7));
  assert.equal(await store.get('bb22'), undefined);
  assert.equal(await store.has('bb22'), false);
});

test('a read error other than a missing file is thrown with its path, not passed off as a miss', async () => {
  const store = new FeatureStore(await mkdtemp(join(tmpdir(), 'tl-store-')), key, [4]);
  const hash = sha256('unreadable');
  await store.put(hash, Float32Array.from([1, 2, 3, 4]));
  const [shard] = await readdir(store.folder);
  const entry = join(store.folder, shard, `${hash}.f32`);
  await rm(entry);
  await mkdir(entry);
  await assert.rejects(store.get(hash), (error: NodeJS.ErrnoException) => error.code === 'EISDIR' && error.message.includes(hash));
});
