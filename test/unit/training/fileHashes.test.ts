import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '../../../src/engine/training/featureStore';
import { FileHashes } from '../../../src/engine/training/fileHashes';
import { tempDir } from '../data/fixtures';

/** Written an hour ago as far as its mtime says: old enough to be remembered. */
async function writeSettled(path: string, content: string): Promise<void> {
  await writeFile(path, content);
  const hourAgo = Date.now() / 1000 - 3600;
  await utimes(path, hourAgo, hourAgo);
}

async function indexOf(cacheDir: string): Promise<{ file: string; json: { files: Record<string, [number, number, number, number, string]> } }> {
  const [name] = await readdir(join(cacheDir, 'file-hashes'));
  const file = join(cacheDir, 'file-hashes', name);
  return { file, json: JSON.parse(await readFile(file, 'utf8')) };
}

test('a remembered hash is used while the file\'s stat is unchanged, and any change hashes the content again', async (t) => {
  const [data, cacheDir] = [tempDir(t), tempDir(t)];
  const [a, b] = [join(data, 'a.png'), join(data, 'b.png')];
  await writeSettled(a, 'first image');
  await writeSettled(b, 'second image');
  const first = new FileHashes(cacheDir);
  assert.equal(await first.hash(a), sha256('first image'));
  assert.equal(await first.hash(b), sha256('second image'));
  await first.save();

  // A forged entry is believed while the stat matches: proof that a rerun reads the index, not the file.
  const { file, json } = await indexOf(cacheDir);
  json.files['a.png'][4] = 'f'.repeat(64);
  await writeFile(file, JSON.stringify(json));
  assert.equal(await new FileHashes(cacheDir).hash(a), 'f'.repeat(64));

  await writeSettled(a, 'edited image');
  assert.equal(await new FileHashes(cacheDir).hash(a), sha256('edited image'), 'a changed file is hashed again');
});

test('saving drops files that are gone and a broken index is only a miss', async (t) => {
  const [data, cacheDir] = [tempDir(t), tempDir(t)];
  const [a, b] = [join(data, 'a.png'), join(data, 'b.png')];
  await writeSettled(a, 'a');
  await writeSettled(b, 'b');
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

test('an index entry whose hash is not a sha256 is ignored: the hash names files in the feature store', async (t) => {
  const [data, cacheDir] = [tempDir(t), tempDir(t)];
  const a = join(data, 'a.png');
  await writeSettled(a, 'image');
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

test('a file hashed within seconds of its last write is not remembered: a coarse clock could hide a second write', async (t) => {
  const [data, cacheDir] = [tempDir(t), tempDir(t)];
  const [fresh, settled] = [join(data, 'fresh.png'), join(data, 'settled.png')];
  await writeFile(fresh, 'just written');
  await writeSettled(settled, 'old');
  const hashes = new FileHashes(cacheDir);
  assert.equal(await hashes.hash(fresh), sha256('just written'));
  await hashes.hash(settled);
  await hashes.save();
  assert.deepEqual(Object.keys((await indexOf(cacheDir)).json.files), ['settled.png']);
});

test('an unwritable cache folder costs only the rehash', async (t) => {
  const [data, blocked] = [tempDir(t), join(tempDir(t), 'file')];
  await writeFile(blocked, 'not a folder');
  await writeSettled(join(data, 'a.png'), 'a');
  const hashes = new FileHashes(blocked);
  assert.equal(await hashes.hash(join(data, 'a.png')), sha256('a'));
  await hashes.save();
});
