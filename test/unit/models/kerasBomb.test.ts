// A .keras archive is untrusted input: each entry is capped by what it can sensibly be (a config a few MB, the weights
// by the declared architecture's parameter count), whatever its zip header declares, and refused early naming the
// file and the entry, with memory far below what the entry would inflate to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelError } from '../../../src/engine/models/errors';
import { readKerasModelFile } from '../../../src/engine/models/keras/readModel';
import { listZip, readZipEntry, writeZip } from '../../../src/engine/models/keras/zip';
import { tempDir } from '../data/fixtures';
import { writeKeras3Archive } from './fixtures/kerasFiles';

const MB = 2 ** 20;

/** A real .keras archive of a 4→2 dense model (10 parameters), its entries by name. */
async function smallArchive(dir: string): Promise<Map<string, Buffer>> {
  const file = path.join(dir, 'small.keras');
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2, name: 'out' })] });
  await writeKeras3Archive(file, model);
  model.dispose();
  const zip = await readFile(file);
  return new Map(listZip(zip, file).map((entry) => [entry.name, readZipEntry(zip, entry, file)]));
}

/** Writes the entries deflated, then sets the size the zip directory declares for `lie.name`. */
async function writeArchive(file: string, entries: Map<string, Uint8Array>, lie?: { name: string; size: number }): Promise<void> {
  const zip = writeZip([...entries].map(([name, data]) => ({ name, data })), true);
  let at = zip.readUInt32LE(zip.length - 22 + 16);
  for (let i = 0; i < entries.size; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    if (lie && zip.toString('utf8', at + 46, at + 46 + nameLength) === lie.name) zip.writeUInt32LE(lie.size, at + 24);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  await writeFile(file, zip);
}

/** Asserts `read` is refused with a ModelError naming file and entry, and the process's peak memory grew by less than `bound`. */
async function assertRefused(read: () => Promise<unknown>, file: string, entry: string, pattern: RegExp, bound: number): Promise<void> {
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  await assert.rejects(read(), (error: Error) => {
    assert.ok(error instanceof ModelError, `${error.name}: ${error.message}`);
    assert.ok(error.message.startsWith(`${file} (${entry}): `), error.message);
    assert.match(error.message, pattern);
    return true;
  });
  const grew = process.resourceUsage().maxRSS * 1024 - peakBefore;
  assert.ok(grew < bound, `peak memory grew by ${(grew / MB).toFixed(0)} MB`);
}

/** A JSON text of `bytes` characters, mostly spaces: deflate shrinks it about a thousandfold. */
const hugeJson = (bytes: number) => Buffer.from(`{"class_name": "Sequential", "padding": "${' '.repeat(bytes - 48)}"}`);

test('a config.json that really inflates past a config\'s cap (24 MB of spaces) is refused from its header, before inflating', async (t) => {
  const dir = tempDir(t);
  const entries = await smallArchive(dir);
  entries.set('config.json', hugeJson(24 * MB));
  const file = path.join(dir, 'config-bomb.keras');
  await writeArchive(file, entries);
  await assertRefused(() => readKerasModelFile(file), file, 'config.json', /declares 24\.0 MB, more than a model config can take up \(8\.0 MB\)/, 8 * MB);
});

test('a config.json whose header lies about its size stops inflating at the declared size', async (t) => {
  const dir = tempDir(t);
  const entries = await smallArchive(dir);
  entries.set('config.json', hugeJson(24 * MB));
  const file = path.join(dir, 'config-liar.keras');
  await writeArchive(file, entries, { name: 'config.json', size: 1000 });
  await assertRefused(() => readKerasModelFile(file), file, 'config.json', /inflates past its declared size of 1000 bytes/, 8 * MB);
});

test('weights far larger than the architecture can hold (512 MB for 10 parameters) are refused, whether the header tells the truth or lies', async (t) => {
  const dir = tempDir(t);
  const entries = await smallArchive(dir);
  entries.set('model.weights.h5', Buffer.alloc(512 * MB));
  const honest = path.join(dir, 'weights-bomb.keras');
  await writeArchive(honest, entries);
  await assertRefused(() => readKerasModelFile(honest), honest, 'model.weights.h5', /declares 512\.0 MB, more than the weights of its architecture \(10 parameters\) can take up \(16\.0 MB\)/, 64 * MB);
  // a header that claims little inflates only that far
  const liar = path.join(dir, 'weights-liar.keras');
  await writeArchive(liar, entries, { name: 'model.weights.h5', size: 4096 });
  await assertRefused(() => readKerasModelFile(liar), liar, 'model.weights.h5', /inflates past its declared size of 4096 bytes/, 64 * MB);
  // one that claims almost 4 GiB is refused before anything is inflated
  const boast = path.join(dir, 'weights-boast.keras');
  await writeArchive(boast, entries, { name: 'model.weights.h5', size: 0xfffffff0 });
  await assertRefused(() => readKerasModelFile(boast), boast, 'model.weights.h5', /declares 4096\.0 MB/, 64 * MB);
});

test('the small archive itself still reads', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'deflated.keras');
  await writeArchive(file, await smallArchive(dir));
  const artifacts = await readKerasModelFile(file);
  assert.equal(artifacts.weightSpecs.length, 2);
});
