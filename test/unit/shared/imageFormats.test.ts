import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { isImagePath } from '../../../src/engine/data';
import { decodeImage } from '../../../src/engine/data/decode';
import { IMAGE_GLOB } from '../../../src/extension/wizard/datasetCandidates';

const repo = join(__dirname, '..', '..', '..');
const CANDIDATES = ['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp', 'tif', 'tiff', 'avif', 'heic', 'svg', 'JPG', 'Png'];

/** The extensions Predict's explorer menu offers, from package.json's `when` clause. */
async function menuAccepts(): Promise<RegExp> {
  const manifest = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8'));
  const item = manifest.contributes.menus['explorer/context'].find((m: { command: string }) => m.command === 'transferLab.predict');
  const [, source, flags] = /resourceExtname =~ \/(.+)\/(\w*)/.exec(item.when)!;
  return new RegExp(source, flags);
}

test('the explorer menu, the wizard and the engine agree on which image files there are', async () => {
  const menu = await menuAccepts();
  const globExtensions = /\{(.+)\}/.exec(IMAGE_GLOB)![1].split(',').map((e) => e.toLowerCase());
  for (const ext of CANDIDATES) {
    const engine = isImagePath(`photo.${ext}`);
    assert.equal(menu.test(`.${ext}`), engine, `Predict's menu and the engine's file walk on .${ext}`);
    assert.equal(globExtensions.includes(ext.toLowerCase()), engine, `New Experiment's dataset search and the engine on .${ext}`);
  }
});

test('every extension the engine reads decodes; BMP, which sharp cannot decode, is not offered', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tl-formats-'));
  const image = () => sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 10, b: 10 } } });
  const writers: Record<string, () => Promise<Buffer>> = {
    png: () => image().png().toBuffer(), jpg: () => image().jpeg().toBuffer(), webp: () => image().webp().toBuffer(),
    gif: () => image().gif().toBuffer(), tiff: () => image().tiff().toBuffer(), avif: () => image().avif().toBuffer(),
  };
  for (const [ext, write] of Object.entries(writers)) {
    const file = join(dir, `x.${ext}`);
    await writeFile(file, await write());
    assert.ok(isImagePath(file));
    const decoded = await decodeImage(file, 4);
    assert.ok(decoded.ok, `.${ext} decodes: ${decoded.ok ? "" : decoded.reason}`);
  }
  // a valid 1×1 24-bit BMP: sharp's prebuilt libvips has no BMP loader, so the engine could never read one
  const bmp = Buffer.alloc(58);
  bmp.write('BM', 0); bmp.writeUInt32LE(58, 2); bmp.writeUInt32LE(54, 10); bmp.writeUInt32LE(40, 14);
  bmp.writeInt32LE(1, 18); bmp.writeInt32LE(1, 22); bmp.writeUInt16LE(1, 26); bmp.writeUInt16LE(24, 28); bmp.writeUInt32LE(4, 34);
  await assert.rejects(sharp(bmp).raw().toBuffer(), /unsupported image format/);
  assert.ok(!isImagePath('x.bmp'));
});
