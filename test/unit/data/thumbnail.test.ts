import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import sharp from 'sharp';
import { thumbnailDataUri } from '../../../src/engine/data';
import { thumbnails } from '../../../src/host/queries';
import { solid, tempDir, touch } from './fixtures';

const pixelsOf = (uri: string) => Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64');

test('thumbnails: a JPEG data: URI fitting 96 px, aspect kept, small images not enlarged, unreadable files undefined', async (t) => {
  const dir = tempDir(t);
  const wide = join(dir, 'wide.png');
  await solid(400, 200, [200, 30, 30]).png().toFile(wide);
  const uri = await thumbnailDataUri(wide, 96);
  assert.match(uri ?? '', /^data:image\/jpeg;base64,[A-Za-z0-9+/]+={0,2}$/);
  const meta = await sharp(pixelsOf(uri!)).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 96, 48]);
  const [r, g, b] = (await sharp(pixelsOf(uri!)).raw().toBuffer()).subarray(0, 3);
  assert.ok(r > 150 && g < 80 && b < 80, `the picture is still red (${r},${g},${b})`);

  const transparentSmall = join(dir, 'small.png');
  await sharp({ create: { width: 20, height: 30, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toFile(transparentSmall);
  const small = await sharp(pixelsOf((await thumbnailDataUri(transparentSmall, 96))!)).metadata();
  assert.deepEqual([small.width, small.height], [20, 30]);

  assert.equal(await thumbnailDataUri(touch(join(dir, 'text.jpg'), 'not an image'), 96), undefined);
  assert.equal(await thumbnailDataUri(join(dir, 'missing.png'), 96), undefined);
});

test("the host's thumbnails request answers in order, null for what it cannot read, and refuses odd sizes or floods", async (t) => {
  const dir = tempDir(t);
  const image = join(dir, 'a.png');
  await solid(10, 10, [0, 0, 255]).png().toFile(image);
  const { thumbnails: answer } = await thumbnails({ paths: [join(dir, 'nothing.png'), image], maxSide: 96 });
  assert.equal(answer[0], null);
  assert.match(answer[1] ?? '', /^data:image\/jpeg;base64,/);
  await assert.rejects(thumbnails({ paths: [image], maxSide: 0 }), /maxSide/);
  await assert.rejects(thumbnails({ paths: [image], maxSide: 4096 }), /maxSide/);
  await assert.rejects(thumbnails({ paths: Array(5001).fill(image), maxSide: 96 }), /up to 5000/);
  await assert.rejects(thumbnails({ paths: [42 as unknown as string], maxSide: 96 }), /file paths/);
});
