import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../../../src/engine/training/featureStore';
import { FileHashes } from '../../../src/engine/training/fileHashes';

async function indexOf(cacheDir: string): Promise<{ file: string; json: { files: Record<string, [number, number, number, number, string]> } }> {
  const [name] = await readdir(join(cacheDir, 'file-hashes'));
  const file = join(cacheDir, 'file-hashes', name);
  return { file, json: JSON.parse(await readFile(file, 'utf8')) };
}

test('a remembered hash is used while the file\'s stat is unchanged, and any change hashes the content again', async () => {
  const data = await mkdtemp(join(tmpdir(), 'hashes-data-'));
  const cacheDir = await mkdtemp(join(tmpdir(), 'hashes-cache-'));
  const [a, b] = [join(data, 'a.png'), join(data, 'b.png')];
  await writeFile(a, 'first image');
  await writeFile(b, 'second image');
  const first = new FileHashes(cacheDir);
  assert.equal(await first.hash(a), sha256('first image'));
  assert.equal(await first.hash(b), sha256('second image'));
  await first.save();

  // A forged entry is believed while the stat matches: proof that a rerun reads the index, not the file.
  const { file, json } = await indexOf(cacheDir);
  json.files['a.png'][4] = 'f'.repeat(64);
  await writeFile(file, JSON.stringify(json));
  assert.equal(await new FileHashes(cacheDir).hash(a), 'f'.repeat(64));

  await writeFile(a, 'edited image');
  await utimes(a, 1, 1);
  assert.equal(await new FileHashes(cacheDir).hash(a), sha256('edited image'), 'a changed file is hashed again');
});

test('saving drops files that are gone and a broken index is only a miss', async () => {
  const data = await mkdtemp(join(tmpdir(), 'hashes-data-'));
  const cacheDir = await mkdtemp(join(tmpdir(), 'hashes-cache-'));
  const [a, b] = [join(data, 'a.png'), join(data, 'b.png')];
  await writeFile(a, 'a');
  await writeFile(b, 'b');
  const hashes = new FileHashes(cacheDir);
  await hashes.hash(a);
  await hashes.hash(b);
  await rm(b);
  await hashes.save();
  assert.deepEqual(Object.keys((await indexOf(cacheDir)).json.files), ['a.png']);

  await writeFile((await indexOf(cacheDir)).file, '{ torn');
  assert.equal(await new FileHashes(cacheDir).hash(a), sha256('a'));
  await assert.rejects(new FileHashes(cacheDir).hash(b), /ENOENT/);
});

test('an index entry whose hash is not a sha256 is ignored: the hash names files in the feature store', async () => {
  const data = await mkdtemp(join(tmpdir(), 'hashes-data-'));
  const cacheDir = await mkdtemp(join(tmpdir(), 'hashes-cache-'));
  const a = join(data, 'a.png');
  await writeFile(a, 'image');
  const hashes = new FileHashes(cacheDir);
  await hashes.hash(a);
  await hashes.save();
  const { file, json } = await indexOf(cacheDir);
  for (const forged of ['../../../outside', 42]) {
    json.files['a.png'][4] = forged as string;
    await writeFile(file, JSON.stringify(json));
    assert.equal(await new FileHashes(cacheDir).hash(a), sha256('image'), `${forged} is not used`);
  }
});
