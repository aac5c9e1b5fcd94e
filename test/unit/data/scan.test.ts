import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DatasetError, scanDataset } from '../../../src/engine/data';
import { scanText } from '../../../src/cli/render';
import { scanForClient } from '../../../src/host/queries';
import { tempDir, touch } from './fixtures';

function relativePaths(root: string, samples: { path: string }[]): string[] {
  return samples.map((sample) => relative(root, sample.path));
}

async function rejectsWith(root: string, ...fragments: string[]): Promise<void> {
  await assert.rejects(scanDataset(root), (error: unknown) => {
    assert.ok(error instanceof DatasetError, `expected DatasetError, got ${error}`);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" should mention "${fragment}"`);
    assert.ok(error.message.includes(error.path) && error.message.includes(error.fix));
    return true;
  });
}

test('class folders: sorted classes, recursive, labelled samples; hidden entries ignored, other files reported', async (t) => {
  const root = tempDir(t);
  for (const file of ['dogs/b.JPG', 'dogs/nested/deeper/a.webp', 'cats/2.png', 'cats/1.jpeg', 'cats/.DS_Store', '.cache/x.jpg', 'dogs/.thumbs/y.jpg']) touch(join(root, file));
  touch(join(root, 'dogs', 'notes.txt'));
  const scan = await scanDataset(root);
  assert.equal(scan.layout, 'class-folders');
  assert.deepEqual(scan.classes, ['cats', 'dogs']);
  assert.deepEqual(relativePaths(root, scan.samples.train), ['cats/1.jpeg', 'cats/2.png', 'dogs/b.JPG', 'dogs/nested/deeper/a.webp']);
  assert.deepEqual(scan.samples.train.map((s) => s.label), [0, 0, 1, 1]);
  assert.deepEqual([scan.samples.val, scan.samples.test], [[], []]);
  assert.deepEqual(scan.counts, { cats: { train: 2, val: 0, test: 0 }, dogs: { train: 2, val: 0, test: 0 } });
  assert.deepEqual(scan.problems.map((p) => [relative(root, p.path), p.kind]), [['dogs/notes.txt', 'unsupported-file']]);
});

test('root missing, a file, or without class folders is a DatasetError that says the fix', async (t) => {
  const root = tempDir(t);
  await rejectsWith(join(root, 'nope'), 'not found');
  await rejectsWith(touch(join(root, 'file.jpg')), 'not a folder');
  const loose = join(root, 'loose');
  touch(join(loose, 'a.jpg'));
  await rejectsWith(loose, 'one sub-folder per class', join(loose, 'cats'));
  const empty = join(root, 'empty');
  mkdirSync(empty);
  await rejectsWith(empty, 'no class folders found');
});

test('a single class, or two where one is empty, is refused; an empty class is dropped and reported', async (t) => {
  const root = tempDir(t);
  touch(join(root, 'one', 'cats', 'a.jpg'));
  await rejectsWith(join(root, 'one'), 'at least 2', 'cats');
  mkdirSync(join(root, 'one', 'dogs'));
  await rejectsWith(join(root, 'one'), 'at least 2');
  touch(join(root, 'one', 'birds', 'b.png'));
  const scan = await scanDataset(join(root, 'one'));
  assert.deepEqual(scan.classes, ['birds', 'cats']);
  assert.deepEqual(scan.problems.filter((p) => p.kind !== 'single-image').map((p) => [relative(root, p.path), p.kind]), [['one/dogs', 'empty-class']]);
});

test('a class with a single image is warned about in the scan and its CLI output, saying what the split does with it', async (t) => {
  const root = tempDir(t);
  for (const file of ['cats/1.jpg', 'cats/2.jpg', 'cats/3.jpg', 'lonely/only.jpg']) touch(join(root, file));
  const scan = await scanDataset(root);
  assert.deepEqual(scan.classes, ['cats', 'lonely'], 'the class still trains');
  const [warning] = scan.problems;
  assert.deepEqual([relative(root, warning.path), warning.kind, scan.problems.length], ['lonely', 'single-image', 1]);
  assert.match(warning.message, /class "lonely" has a single image: the split keeps it for training, so validation has no example of this class/);
  assert.match(scanText(await scanForClient(root)), /lonely: class "lonely" has a single image/);

  // split folders: one train image and no val image of the class is the same case; with val images it is not
  const split = tempDir(t);
  for (const file of ['train/cats/1.jpg', 'train/cats/2.jpg', 'train/dogs/1.jpg', 'train/lonely/1.jpg', 'val/cats/3.jpg', 'val/dogs/2.jpg']) touch(join(split, file));
  const scanned = await scanDataset(split);
  assert.deepEqual(scanned.problems.map((p) => [relative(split, p.path), p.kind]), [['train/lonely', 'single-image']]);
});

test('symlink loops terminate, links leaving the root are reported and not followed', async (t) => {
  const root = join(tempDir(t), 'data');
  const outside = join(root, '..', 'elsewhere');
  touch(join(outside, 'secret.jpg'));
  touch(join(root, 'cats', 'a.jpg'));
  touch(join(root, 'dogs', 'b.jpg'));
  symlinkSync(join(root, 'cats'), join(root, 'cats', 'loop'));
  symlinkSync(join(root, 'dogs', 'ping'), join(root, 'dogs', 'pong'));
  symlinkSync(join(root, 'dogs', 'pong'), join(root, 'dogs', 'ping'));
  symlinkSync(outside, join(root, 'dogs', 'out'));
  symlinkSync(join(root, 'cats'), join(root, 'dogs', 'alias'));
  symlinkSync(join(root, 'cats'), join(root, 'kittens'));
  const scan = await scanDataset(root);
  assert.deepEqual(relativePaths(root, scan.samples.train), ['cats/a.jpg', 'dogs/b.jpg']);
  const kinds = Object.fromEntries(scan.problems.map((p) => [relative(root, p.path), p.kind]));
  assert.deepEqual(kinds, {
    'cats/loop': 'link-loop', 'dogs/ping': 'link-loop', 'dogs/pong': 'link-loop',
    'dogs/out': 'link-outside-root', 'dogs/alias': 'duplicate-link', kittens: 'duplicate-link',
    cats: 'single-image', dogs: 'single-image', // the loops and links add no image
  });
});

test('class names are NFC-normalised; NFC/NFD twins and case-only twins are refused naming both', async (t) => {
  const base = tempDir(t);
  const nfc = 'caf\u00e9', nfd = 'cafe\u0301';
  touch(join(base, 'nfd', nfd, 'a.jpg'));
  touch(join(base, 'nfd', 'tea', 'b.jpg'));
  const scan = await scanDataset(join(base, 'nfd'));
  assert.deepEqual(scan.classes, [nfc, 'tea']);
  assert.ok(existsSync(scan.samples.train[0].path), 'sample paths keep the on-disk spelling');
  touch(join(base, 'twins', nfc, 'a.jpg'));
  touch(join(base, 'twins', nfd, 'b.jpg'));
  await rejectsWith(join(base, 'twins'), join(base, 'twins', nfc), join(base, 'twins', nfd), 'Unicode');
  touch(join(base, 'case', 'Cats', 'a.jpg'));
  touch(join(base, 'case', 'cats', 'b.jpg'));
  await rejectsWith(join(base, 'case'), join(base, 'case', 'Cats'), join(base, 'case', 'cats'), 'letter case');
});

test('split folders: case-insensitive names, validation = val, classes from train', async (t) => {
  const root = tempDir(t);
  for (const file of ['Train/b/1.jpg', 'Train/a/1.jpg', 'Train/a/2.jpg', 'validation/a/3.jpg', 'validation/b/4.jpg', 'TEST/b/5.jpg', 'TEST/zebra/6.jpg', 'Train/stray.jpg']) touch(join(root, file));
  const scan = await scanDataset(root);
  assert.equal(scan.layout, 'split-folders');
  assert.deepEqual(scan.classes, ['a', 'b']);
  assert.deepEqual(relativePaths(root, scan.samples.train), ['Train/a/1.jpg', 'Train/a/2.jpg', 'Train/b/1.jpg']);
  assert.deepEqual(relativePaths(root, scan.samples.val), ['validation/a/3.jpg', 'validation/b/4.jpg']);
  assert.deepEqual(scan.samples.test.map((s) => s.label), [1]);
  assert.deepEqual(scan.counts.b, { train: 1, val: 1, test: 1 });
  assert.deepEqual(scan.problems.map((p) => [relative(root, p.path), p.kind]), [['TEST/zebra', 'class-not-in-train'], ['Train/stray.jpg', 'stray-file']]);
});

test('split folders need train and one folder per split; a class named "train" stays a class', async (t) => {
  const base = tempDir(t);
  touch(join(base, 'no-train', 'val', 'a', '1.jpg'));
  await rejectsWith(join(base, 'no-train'), 'no train folder');
  touch(join(base, 'twice', 'train', 'a', '1.jpg'));
  touch(join(base, 'twice', 'val', 'a', '1.jpg'));
  touch(join(base, 'twice', 'validation', 'a', '1.jpg'));
  await rejectsWith(join(base, 'twice'), join(base, 'twice', 'val'), join(base, 'twice', 'validation'));
  touch(join(base, 'vehicles', 'train', '1.jpg'));
  touch(join(base, 'vehicles', 'plane', '2.jpg'));
  const scan = await scanDataset(join(base, 'vehicles'));
  assert.equal(scan.layout, 'class-folders');
  assert.deepEqual(scan.classes, ['plane', 'train']);
});

const flowers = '/work/shared/data/flowers';
test('the shared flowers set: 12 classes, 60 train and 20 test each', { skip: !existsSync(flowers) && 'no /work/shared/data/flowers' }, async () => {
  const scan = await scanDataset(flowers);
  assert.equal(scan.layout, 'split-folders');
  assert.equal(scan.classes.length, 12);
  for (const name of scan.classes) assert.deepEqual(scan.counts[name], { train: 60, val: 0, test: 20 });
  assert.deepEqual(scan.problems, []);
  assert.deepEqual(await scanDataset(flowers), scan, 'scanning twice gives the same result');
});
