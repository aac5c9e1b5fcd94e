import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeImage, decodeImageBuffer, type DecodeResult } from '../../../src/engine/data';
import { assertClose, pixelAt, solid, tempDir, touch, twoTone, type Rgb } from './fixtures';

const SIZE = 8;
const RED: Rgb = [255, 0, 0], GREEN: Rgb = [0, 255, 0], BLUE: Rgb = [0, 0, 255];

function pixelsOf(result: DecodeResult): Uint8Array {
  if (!result.ok) throw new Error(`expected a decoded image, got: ${result.reason}`);
  assert.equal(result.pixels.length, SIZE * SIZE * 3);
  return result.pixels;
}

function reasonOf(result: DecodeResult): string {
  assert.equal(result.ok, false, 'expected a failure');
  return (result as { reason: string }).reason;
}

test('JPEG, PNG, WebP, TIFF and AVIF decode to size×size RGB, squashed (not cropped) like Keras', async (t) => {
  const dir = tempDir(t);
  // Green only in the left quarter: a centre crop would lose it, squashing keeps it in the first columns.
  const image = twoTone(40, 20, 10, GREEN, RED);
  for (const [name, encoded] of [['a.jpg', image.clone().jpeg()], ['a.png', image.clone().png()], ['a.webp', image.clone().webp({ lossless: true })], ['a.tiff', image.clone().tiff()], ['a.avif', image.clone().avif({ lossless: true })]] as const) {
    const path = join(dir, name);
    await encoded.toFile(path);
    const pixels = pixelsOf(await decodeImage(path, SIZE));
    assertClose(pixelAt(pixels, SIZE, 0, 4), GREEN, 60, `${name} left edge`);
    assertClose(pixelAt(pixels, SIZE, SIZE - 1, 4), RED, 60, `${name} right edge`);
  }
});

test('CMYK, 16-bit, grayscale, transparent and animated images become 8-bit sRGB of the first frame', async (t) => {
  const dir = tempDir(t);
  const cmyk = join(dir, 'cmyk.jpg');
  await solid(16, 16, RED).toColourspace('cmyk').jpeg().toFile(cmyk);
  assertClose(pixelAt(pixelsOf(await decodeImage(cmyk, SIZE)), SIZE, 3, 3), RED, 40, 'CMYK');
  const deep = join(dir, 'deep.png');
  await solid(16, 16, [0, 128, 255]).toColourspace('rgb16').png().toFile(deep);
  assert.equal((await sharp(deep).metadata()).depth, 'ushort', 'fixture really is 16-bit');
  assertClose(pixelAt(pixelsOf(await decodeImage(deep, SIZE)), SIZE, 3, 3), [0, 128, 255], 2, '16-bit PNG');
  const gray = join(dir, 'gray.png');
  await solid(16, 16, [90, 90, 90]).toColourspace('b-w').png().toFile(gray);
  assert.equal((await sharp(gray).metadata()).channels, 1);
  assertClose(pixelAt(pixelsOf(await decodeImage(gray, SIZE)), SIZE, 5, 5), [90, 90, 90], 2, 'grayscale');
  const clear = join(dir, 'clear.png');
  await sharp({ create: { width: 16, height: 16, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toFile(clear);
  assertClose(pixelAt(pixelsOf(await decodeImage(clear, SIZE)), SIZE, 1, 1), [255, 255, 255], 0, 'transparent onto white');
  const frames = await twoTone(8, 16, 8, GREEN, GREEN).composite([{ input: { create: { width: 8, height: 8, channels: 3, background: { r: 0, g: 0, b: 255 } } }, top: 8, left: 0 }]).raw().toBuffer({ resolveWithObject: true });
  const gif = join(dir, 'anim.gif');
  await sharp(frames.data, { raw: { width: 8, height: 16, channels: frames.info.channels, pageHeight: 8 } }).gif().toFile(gif);
  assert.equal((await sharp(gif).metadata()).pages, 2);
  assertClose(pixelAt(pixelsOf(await decodeImage(gif, SIZE)), SIZE, 4, 4), GREEN, 10, 'first GIF frame');
});

test('EXIF orientation is applied', async (t) => {
  // Stored as 40×20 with blue on the left; orientation 6 means "turn 90° clockwise to view", so blue ends on top.
  const path = join(tempDir(t), 'rotated.jpg');
  await twoTone(40, 20, 20, BLUE, RED).jpeg().withMetadata({ orientation: 6 }).toFile(path);
  const pixels = pixelsOf(await decodeImage(path, SIZE));
  assertClose(pixelAt(pixels, SIZE, SIZE - 1, 0), BLUE, 60, 'top right');
  assertClose(pixelAt(pixels, SIZE, 0, SIZE - 1), RED, 60, 'bottom left');
});

test('bad files give short reasons and never throw', async (t) => {
  const dir = tempDir(t);
  assert.equal(reasonOf(await decodeImage(touch(join(dir, 'notes.jpg'), 'just some text\n'), SIZE)), 'not an image (text file named .jpg)');
  assert.equal(reasonOf(await decodeImage(touch(join(dir, 'zero.png'), ''), SIZE)), 'empty file (0 bytes)');
  assert.match(reasonOf(await decodeImage(touch(join(dir, 'noise.png'), new Uint8Array([0, 1, 2, 3, 200, 7])), SIZE)), /^not an image \(unknown content named \.png\)$/);
  assert.match(reasonOf(await decodeImage(join(dir, 'missing.jpg'), SIZE)), /file not found/);
  const noise = Buffer.from(Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7919) % 251));
  const jpeg = await sharp(noise, { raw: { width: 64, height: 64, channels: 3 } }).jpeg().toBuffer();
  assert.equal(reasonOf(await decodeImage(touch(join(dir, 'cut.jpg'), jpeg.subarray(0, jpeg.length >> 1)), SIZE)), 'truncated or corrupt JPEG');
  pixelsOf(await decodeImageBuffer(jpeg, SIZE));
  assert.equal(reasonOf(await decodeImageBuffer(Buffer.from('hello'), SIZE)), 'not an image (text file)');
});

test('images over the pixel cap are refused from their header, with their size in the reason', async (t) => {
  const dir = tempDir(t);
  const small = join(dir, 'small.png');
  await solid(40, 20, RED).png().toFile(small);
  assert.equal(reasonOf(await decodeImage(small, SIZE, { maxPixels: 100 })), 'image is 40×20 = 800 pixels, above the limit of 100 pixels');
  pixelsOf(await decodeImage(small, SIZE, { maxPixels: 800 }));
  const big = join(dir, 'big.jpg');
  writeFileSync(big, await solid(1500, 1000, RED).jpeg().toBuffer());
  assert.equal(reasonOf(await decodeImageBuffer(readFileSync(big), SIZE, { maxPixels: 1_000_000 })), 'image is 1500×1000 = 1.5 MP, above the limit of 1 MP');
});
