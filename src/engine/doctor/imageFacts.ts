// What the doctor needs to know of each image beyond its features: its size, whether it has any colour, and a
// perceptual hash (pHash: the signs of a 32×32 grey thumbnail's lowest 8×8 DCT frequencies against their median), which
// a resized or re-compressed copy keeps. Kept in the cache by content hash (as features are): a second check reads no image.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { uprightRgb } from '../data/decode';
import { writeFileAtomic } from '../runs';

/** [width, height, 1 when every pixel is grey, pHash as 16 hex digits]. */
export type ImageFacts = [width: number, height: number, grey: 0 | 1, phash: string];

/** Channels closer than this (of 255) everywhere on the thumbnail: a grey picture, even when stored as RGB. */
const GREY_TOLERANCE = 6;
const SIDE = 32;
const LOW = 8;
const CONCURRENCY = 4;

/** cos((2x + 1) u π / 2N) for the 1-D DCT of a SIDE-long row, u < LOW. */
const COSINES = Array.from({ length: LOW }, (_, u) => Array.from({ length: SIDE }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * SIDE))));

function perceptualHash(grey: Float64Array): string {
  const rows = Array.from({ length: SIDE }, (_, y) => COSINES.map((c) => c.reduce((sum, value, x) => sum + value * grey[y * SIDE + x], 0)));
  const low: number[] = [];
  for (let v = 0; v < LOW; v++) for (let u = 0; u < LOW; u++) low.push(COSINES[v].reduce((sum, value, y) => sum + value * rows[y][u], 0));
  const median = [...low.slice(1)].sort((a, b) => a - b)[(LOW * LOW - 1) >> 1]; // the DC term says brightness, not content
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) hex += (low.slice(nibble * 4, nibble * 4 + 4).reduce((bits, value) => (bits << 1) | (value > median ? 1 : 0), 0)).toString(16);
  return hex;
}

/** pHashes this close: the same picture resized or re-compressed (copies at 80 % and JPEG q70 differ by ≤ 4 bits on
 * flowers; distinct photos by 10 or more). */
export const COPY_DISTANCE = 6;

/** [i, j] of every pair of measured images whose pHashes are within COPY_DISTANCE. */
export function perceptualPairs(facts: readonly (ImageFacts | undefined)[]): [number, number][] {
  const words = facts.map((f) => (f ? [parseInt(f[3].slice(0, 8), 16), parseInt(f[3].slice(8), 16)] : undefined));
  const pairs: [number, number][] = [];
  for (let i = 0; i < words.length; i++) {
    const a = words[i];
    if (!a) continue;
    for (let j = i + 1; j < words.length; j++) {
      const b = words[j];
      if (b && popCount(a[0] ^ b[0]) + popCount(a[1] ^ b[1]) <= COPY_DISTANCE) pairs.push([i, j]);
    }
  }
  return pairs;
}

function popCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

async function measure(path: string): Promise<ImageFacts | undefined> {
  try {
    const image = uprightRgb(path);
    const { width = 0, height = 0 } = await image.metadata();
    const pixels = await image.resize(SIDE, SIDE, { fit: 'fill' }).removeAlpha().raw().toBuffer();
    let grey: 0 | 1 = 1;
    const luma = new Float64Array(SIDE * SIDE);
    for (let i = 0, p = 0; i < pixels.length; i += 3, p++) {
      const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
      if (Math.max(r, g, b) - Math.min(r, g, b) > GREY_TOLERANCE) grey = 0;
      luma[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    }
    return [width, height, grey, perceptualHash(luma)];
  } catch {
    return undefined;
  }
}

function isFacts(value: unknown): value is ImageFacts {
  return Array.isArray(value) && value.length === 4 && typeof value[3] === 'string' && /^[0-9a-f]{16}$/.test(value[3]);
}

/** Facts of each file (undefined where it cannot be read), from the cache where its hash is known. */
export async function imageFacts(cacheDir: string, files: readonly { file: string; hash: string }[], signal?: AbortSignal): Promise<(ImageFacts | undefined)[]> {
  const store = join(cacheDir, 'image-facts.json');
  const saved: Record<string, unknown> = await readFile(store, 'utf8').then((text) => JSON.parse(text).facts ?? {}, () => ({}));
  const known = new Map(Object.entries(saved).filter((entry): entry is [string, ImageFacts] => isFacts(entry[1])));
  const out: (ImageFacts | undefined)[] = new Array(files.length);
  let next = 0;
  let added = 0;
  const worker = async () => {
    for (let i = next++; i < files.length; i = next++) {
      signal?.throwIfAborted();
      const { file, hash } = files[i];
      out[i] = known.get(hash) ?? (await measure(file));
      if (out[i] && !known.has(hash)) {
        known.set(hash, out[i]!);
        added++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  // a failed write only costs measuring again next time
  if (added > 0) {
    await mkdir(cacheDir, { recursive: true })
      .then(() => writeFileAtomic(store, JSON.stringify({ v: 1, facts: Object.fromEntries(known) })))
      .catch(() => undefined);
  }
  return out;
}
