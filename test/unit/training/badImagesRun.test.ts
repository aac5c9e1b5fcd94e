import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { selectEngine } from '../../../src/engine/backend/select';
import { DatasetError } from '../../../src/engine/data';
import { trainExperiment } from '../../../src/engine/training/train';
import { solid, tempDir, touch } from '../data/fixtures';
import { writeExperiment } from '../fixtures/experiments';
import { writeSyntheticDataset, SYNTHETIC_CLASSES } from '../fixtures/syntheticImages';
import { RecordingListener } from './listener';

before(() => selectEngine('wasm'));

/** A small JPEG whose header claims 9000×9000 (81 MP, above the 50 MP cap): refused from the header, nothing decoded. */
async function hugeJpeg(): Promise<Buffer> {
  const jpeg = await solid(16, 16, [200, 0, 0]).jpeg().toBuffer();
  const frame = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  jpeg.writeUInt16BE(9000, frame + 5);
  jpeg.writeUInt16BE(9000, frame + 7);
  return jpeg;
}

test('a run over every odd and broken image kind completes: broken files are skipped and reported, odd ones train', async (t) => {
  const data = await writeSyntheticDataset(8);
  const [red, green, blue] = SYNTHETIC_CLASSES.map((name) => join(data, name));
  const intact = await solid(32, 32, [200, 60, 60]).jpeg().toBuffer();
  await solid(32, 32, [200, 60, 60]).toColourspace('cmyk').jpeg().toFile(join(red, 'cmyk.jpg'));
  await solid(32, 32, [60, 200, 60]).toColourspace('rgb16').png().toFile(join(green, 'deep.png'));
  await solid(32, 32, [60, 60, 200]).toColourspace('b-w').png().toFile(join(blue, 'gray.png'));
  await sharp({ create: { width: 32, height: 32, channels: 4, background: { r: 60, g: 60, b: 200, alpha: 0.5 } } }).png().toFile(join(blue, 'rgba.png'));
  await sharp(Buffer.alloc(32 * 64 * 3, 120), { raw: { width: 32, height: 64, channels: 3, pageHeight: 32 } }).gif().toFile(join(green, 'anim.gif'));
  await solid(32, 32, [200, 60, 60]).webp().toFile(join(red, 'pic.webp'));
  const broken = [
    touch(join(red, 'notes.jpg'), 'just some text\n'),
    touch(join(green, 'zero.png'), ''),
    touch(join(blue, 'cut.jpg'), intact.subarray(0, intact.length >> 1)),
    touch(join(red, 'huge.jpg'), await hugeJpeg()),
  ];
  const file = await writeExperiment(data, { data: { root: data, inputSize: 64, split: { val: 0.25 } }, phases: [{ epochs: 2, batchSize: 8, learningRate: 0.01 }] });
  const result = await trainExperiment({ experimentFile: file, cacheDir: tempDir(t), listener: new RecordingListener() });
  assert.equal(result.state, 'completed');
  assert.equal(result.skippedFiles, broken.length);
  const skipped = JSON.parse(await readFile(join(result.runDir, 'skipped.json'), 'utf8')) as { path: string; reason: string }[];
  assert.deepEqual(skipped.map((s) => basename(s.path)).sort(), broken.map((path) => basename(path)).sort());
  assert.match(skipped.find((s) => s.path.endsWith('huge.jpg'))!.reason, /9000×9000 = 81 MP, above the limit/);
  const evaluation = JSON.parse(await readFile(join(result.runDir, 'evaluation.json'), 'utf8'));
  assert.ok(evaluation.val.skipped.length > 0, 'a broken validation file, met again by the final evaluation, is reported there too');
});

test('a rerun over a dataset with a broken image completes: the files its cache lacks are only the broken ones', async (t) => {
  const data = await writeSyntheticDataset(6);
  const broken = touch(join(data, SYNTHETIC_CLASSES[0], 'zero.png'), '');
  // two phases over the same cached features: the second also finds nothing missing but the broken file
  const phases = [{ epochs: 1, batchSize: 8, learningRate: 0.01 }, { epochs: 1, batchSize: 8, learningRate: 0.001 }];
  const file = await writeExperiment(data, { data: { root: data, inputSize: 32, split: { val: 0.25 } }, phases });
  const cacheDir = tempDir(t);
  for (const round of ['first run', 'rerun']) {
    const result = await trainExperiment({ experimentFile: file, cacheDir, listener: new RecordingListener() });
    assert.equal(result.state, 'completed', `${round}: ${result.message ?? ''}`);
    const skipped = JSON.parse(await readFile(join(result.runDir, 'skipped.json'), 'utf8')) as { path: string }[];
    assert.deepEqual(skipped.map((s) => s.path), [broken], round);
  }
});

test('a dataset of which no image can be read still fails, naming a file, when its cache has nothing', async (t) => {
  const data = tempDir(t);
  for (const name of ['a', 'b']) for (const i of [1, 2, 3, 4]) touch(join(data, name, `${i}.png`), 'not an image');
  const file = await writeExperiment(data, { data: { root: data, inputSize: 32, split: { val: 0.25 } }, phases: [{ epochs: 1, batchSize: 8, learningRate: 0.01 }] });
  await assert.rejects(trainExperiment({ experimentFile: file, cacheDir: tempDir(t), listener: new RecordingListener() }),
    (error: Error) => error instanceof DatasetError && error.message.startsWith(data) && /none of the \d+ images could be read/.test(error.message));
});
