// Test fixtures for the data module, generated with sharp into a fresh temp folder removed after the test.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import sharp from 'sharp';

export type Rgb = [number, number, number];

export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'transfer-lab-data-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes a file, creating its folders; content defaults to a few bytes (scanning never decodes). */
export function touch(path: string, content: string | Uint8Array = 'x'): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

export function solid(width: number, height: number, [r, g, b]: Rgb): sharp.Sharp {
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } });
}

/** A width×height image whose columns x < splitAt are `left` and the rest `right`. */
export function twoTone(width: number, height: number, splitAt: number, left: Rgb, right: Rgb): sharp.Sharp {
  return solid(width, height, right).composite([{ input: { create: { width: splitAt, height, channels: 3, background: rgbObject(left) } }, left: 0, top: 0 }]);
}

function rgbObject([r, g, b]: Rgb): { r: number; g: number; b: number } {
  return { r, g, b };
}

/** Pixel (x, y) of a decoded HWC RGB image. */
export function pixelAt(pixels: Uint8Array, size: number, x: number, y: number): Rgb {
  const i = (y * size + x) * 3;
  return [pixels[i], pixels[i + 1], pixels[i + 2]];
}

export function assertClose(actual: Rgb, expected: Rgb, tolerance: number, what: string): void {
  const far = actual.some((value, i) => Math.abs(value - expected[i]) > tolerance);
  if (far) throw new Error(`${what}: got rgb(${actual.join(', ')}), expected about rgb(${expected.join(', ')}) ±${tolerance}`);
}
