import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { FASHION_CLASSES, writeFashionSample } from '../../../src/engine/sample/fashionSample';
import { fashionImages, spamMessages } from '../../../src/engine/sample/sampleData';

/** The package's own rows, as the sample promised before the build cut them out. */
function packageRows(classIndex: number): number[][] {
  return (require(`fashion-mnist/src/clothes/${classIndex}.json`).data as number[][]).filter((row) => row.length === 784);
}

test('the shipped Fashion-MNIST subset holds the package\'s first images of every class, pixel for pixel', async () => {
  const { side, classes } = await fashionImages(100);
  assert.equal(side, 28);
  assert.equal(classes.length, FASHION_CLASSES.length);
  for (const [index, images] of classes.entries()) {
    const rows = packageRows(index);
    assert.equal(images.length, 100);
    for (const n of [0, 57, 99]) assert.deepEqual([...images[n]], rows[n], `class ${index}, image ${n}`);
  }
});

test('the sample writes those pixels as PNG class folders', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fashion-sample-'));
  const names = await writeFashionSample(dir, { perClass: 3, classes: 2 });
  assert.deepEqual(names, FASHION_CLASSES.slice(0, 2));
  const png = await readFile(join(dir, names[1], '0002.png'));
  const { width, height } = await sharp(png).metadata();
  assert.deepEqual([width, height], [28, 28]);
  assert.deepEqual([...(await sharp(png).extractChannel(0).raw().toBuffer())], packageRows(1)[2]);
});

test('asking for more examples than the sample ships names the limit', async () => {
  await assert.rejects(fashionImages(101), /has 100 examples per class: choose a count from 1 to 100 \(got 101\)/);
  await assert.rejects(spamMessages(0), /from 1 to 200/);
  const mail = await spamMessages(5);
  assert.equal(mail.ham.length, 5);
  assert.equal(mail.spam.length, 5);
  assert.match(mail.spam[0], /^(From|Return-Path|Received|Delivered-To)/m, 'raw mail with its headers');
});
