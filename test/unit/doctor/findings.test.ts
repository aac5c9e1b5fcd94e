// The doctor's findings from given features and probabilities: confident learning, duplicate groups and leakage,
// outliers, odd images and perceptual hashes of resized copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { duplicateGroups, type DoctorItem } from '../../../src/engine/doctor/duplicates';
import * as tf from '@tensorflow/tfjs';
import { selectEngine } from '../../../src/engine/backend/select';
import { createRng } from '../../../src/engine/random';
import { assignFolds, confidentSuspects, outOfFoldProbabilities } from '../../../src/engine/doctor/labelIssues';
import { oddImages, outlierRows } from '../../../src/engine/doctor/oddImages';
import { COPY_DISTANCE, imageFacts, perceptualPairs, type ImageFacts } from '../../../src/engine/doctor/imageFacts';

test('confident learning: the confident joint counts one likely mislabel of class 0, the largest-margin image labelled 0 is it', () => {
  // class thresholds: mean self-confidence of class 0 = (0.9 + 0.9 + 0.2) / 3 ≈ 0.67, of class 1 = (0.8 + 0.8) / 2 = 0.8
  const probabilities = Float32Array.from([0.9, 0.1, 0.9, 0.1, 0.2, 0.8, 0.2, 0.8, 0.2, 0.8, 0.5, 0.5]);
  const labels = [0, 0, 0, 1, 1, 1];
  const suspects = confidentSuspects(probabilities, labels, 2);
  assert.deepEqual(suspects.map((s) => [s.index, s.suggested]), [[2, 1]]);
  assert.ok(Math.abs(suspects[0].score - 0.8) < 1e-6);
});

test('confident learning ranks the least self-confident suspect first; a borderline image (no class clears its threshold) is not counted', () => {
  // thresholds: class 0 (0.95 + 0.95 + 0.4 + 0.1) / 4 = 0.6, class 1 (0.9 + 0.9 + 0.01) / 3 ≈ 0.603; row 2's 0.6 for class 1
  // falls short, so the joint is [[2, 1], [1, 2]]: one likely mislabel each way (class 0: round(1/3 × 4) = 1), by margin
  const probabilities = Float32Array.from([0.95, 0.05, 0.95, 0.05, 0.4, 0.6, 0.1, 0.9, 0.1, 0.9, 0.1, 0.9, 0.99, 0.01]);
  const suspects = confidentSuspects(probabilities, [0, 0, 0, 0, 1, 1, 1], 2);
  assert.deepEqual(suspects.map((s) => [s.index, s.suggested]), [[6, 0], [3, 1]]);
});

test('folds are seeded, stratified and cover every row once', () => {
  const labels = Array.from({ length: 53 }, (_, i) => i % 3);
  const folds = assignFolds(labels, 5, 7);
  assert.deepEqual(folds, assignFolds(labels, 5, 7));
  assert.notDeepEqual(folds, assignFolds(labels, 5, 8));
  for (let k = 0; k < 5; k++) for (const c of [0, 1, 2]) assert.ok(labels.some((l, i) => l === c && folds[i] === k), `fold ${k} has class ${c}`);
});

test('out-of-fold heads separate separable classes, repeat with the seed and leave no tensors behind', async () => {
  await selectEngine('wasm');
  const rng = createRng(5);
  const labels = Array.from({ length: 60 }, (_, i) => i % 3);
  const values = Float32Array.from(labels.flatMap((label) => Array.from({ length: 8 }, (_, d) => (d === label ? 2 : 0) + rng())));
  const matrix = { values, rows: 60, width: 8 };
  const before = tf.memory().numTensors;
  const probabilities = await outOfFoldProbabilities(matrix, labels, 3, 11);
  assert.equal(tf.memory().numTensors, before);
  const correct = labels.filter((label, row) => probabilities[row * 3 + label] === Math.max(...probabilities.subarray(row * 3, row * 3 + 3))).length;
  assert.ok(correct >= 57, `${correct}/60 right out of fold`);
  assert.deepEqual(await outOfFoldProbabilities(matrix, labels, 3, 11), probabilities);
});

const item = (file: string, hash: string, split: DoctorItem['split']): DoctorItem => ({ file: `/d/${file}`, hash, split });

test('duplicates: identical hashes and near pairs form groups; groups spanning train and val/test are leakage and come first', () => {
  const items = [item('train/a/1.jpg', 'h1', 'train'), item('test/a/1.jpg', 'h1', 'test'), item('train/b/2.jpg', 'h2', 'train'), item('train/b/3.jpg', 'h3', 'train'),
    item('val/c/4.jpg', 'h4', 'val'), item('train/c/5.jpg', 'h5', 'train'), item('train/c/6.jpg', 'h6', 'train')];
  const groups = duplicateGroups(items, [[2, 3, 0.99], [5, 4, 0.96], [5, 6, 0.98]]);
  assert.deepEqual(groups.map((g) => [g.kind, g.leakage, g.files.length]), [['exact', true, 2], ['near', true, 3], ['near', false, 2]]);
  assert.deepEqual(groups[0].splits, ['test', 'train']);
  assert.equal(groups[1].similarity, 0.96, 'the weakest link of the group');
  assert.deepEqual(groups[1].files, ['/d/train/c/5.jpg', '/d/train/c/6.jpg', '/d/val/c/4.jpg']);
});

test('outliers: only rows far beyond the typical nearest-neighbour distance, farthest first', () => {
  const nearest = Float32Array.from([0.9, 0.91, 0.89, 0.9, 0.92, 0.2, 0.9, 0.88, 0.5]);
  assert.deepEqual(outlierRows(nearest).map((o) => o.index), [5, 8]);
});

test('odd images: tiny, grayscale in a colour set, extreme aspect ratio', () => {
  const facts: (ImageFacts | undefined)[] = [[224, 224, 0, '0'], [200, 180, 0, '0'], [20, 24, 0, '0'], [224, 224, 1, '0'], [800, 100, 0, '0'], undefined];
  const odd = oddImages(['a', 'b', 'c', 'd', 'e', 'f'], facts);
  assert.deepEqual(odd.map((o) => o.file), ['c', 'd', 'e']);
  assert.match(odd[0].reason, /tiny \(20×24 px\)/);
  assert.match(odd[1].reason, /grayscale in a colour set/);
  assert.match(odd[2].reason, /extreme aspect ratio \(8\.0:1\)/);
  assert.deepEqual(oddImages(['a', 'b'], [[64, 64, 1, '0'], [64, 64, 1, '0']]), [], 'grey is normal in a grey set');
});

/** A picture of a few soft shapes: photo-like low frequencies, no aliasing patterns. */
function picture(shapes: string): Promise<Buffer> {
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="240" height="200"><rect width="240" height="200" fill="#6a8"/>${shapes}</svg>`)).blur(3).jpeg({ quality: 95 }).toBuffer();
}

test('a copy resized to 80 % and re-encoded as JPEG q70 keeps its perceptual hash; another picture does not', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'doctor-phash-'));
  try {
    const original = await picture('<circle cx="80" cy="90" r="50" fill="#e33"/><rect x="150" y="20" width="60" height="150" fill="#228"/>');
    const other = await picture('<circle cx="170" cy="60" r="40" fill="#ee3"/><rect x="20" y="120" width="180" height="50" fill="#822"/>');
    const files = [['a.jpg', original], ['copy.jpg', await sharp(original).resize(192, 160).jpeg({ quality: 70 }).toBuffer()], ['b.jpg', other]] as const;
    for (const [name, data] of files) await writeFile(join(dir, name), data);
    const facts = await imageFacts(join(dir, 'cache'), files.map(([name], i) => ({ file: join(dir, name), hash: `h${i}` })));
    assert.deepEqual(perceptualPairs(facts), [[0, 1]], `hashes ${facts.map((f) => f?.[3]).join(' ')} (copies within ${COPY_DISTANCE} bits)`);
    assert.deepEqual(facts.map((f) => f?.slice(0, 3)), [[240, 200, 0], [192, 160, 0], [240, 200, 0]]);
    await rm(join(dir, 'a.jpg'));
    assert.deepEqual(await imageFacts(join(dir, 'cache'), [{ file: join(dir, 'a.jpg'), hash: 'h0' }]), [facts[0]], 'known by content hash: the file is not read again');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
