// A set where one thing decides the class: a red or a blue square (a quarter of the side) at a random place on a
// grey textured background (stripes of random angle and period, plus noise). A heatmap that points at the evidence
// points at the square; each image's square is returned so a test can check.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { createRng } from '../../../src/engine/random';

export const SQUARE_CLASSES = ['blue', 'red'] as const;
export interface SquareBox { x: number; y: number; side: number }

function pixels(size: number, colour: number[], box: SquareBox, rng: () => number): Buffer {
  const data = Buffer.alloc(size * size * 3);
  const angle = rng() * Math.PI, period = 6 + rng() * 18, contrast = 40 + rng() * 60, level = 70 + rng() * 110;
  const [dx, dy] = [Math.cos(angle), Math.sin(angle)];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inside = x >= box.x && x < box.x + box.side && y >= box.y && y < box.y + box.side;
      const grey = level + contrast * Math.sign(Math.sin((2 * Math.PI * (x * dx + y * dy)) / period)) + (rng() - 0.5) * 60;
      const rgb = inside ? colour.map((c) => c + (rng() - 0.5) * 30) : [grey, grey, grey];
      data.set(rgb.map((v) => Math.max(0, Math.min(255, Math.round(v)))), (y * size + x) * 3);
    }
  }
  return data;
}

/** Writes `<root>/<blue|red>/<n>.png`; returns every image's square. */
export async function writeSquareSet(root: string, perClass: number, size = 224, seed = 5): Promise<Map<string, SquareBox>> {
  const rng = createRng(seed);
  const boxes = new Map<string, SquareBox>();
  const side = Math.round(size / 4);
  for (const [c, name] of SQUARE_CLASSES.entries()) {
    await mkdir(join(root, name), { recursive: true });
    const colour = c === 0 ? [40, 60, 215] : [215, 40, 40];
    for (let n = 0; n < perClass; n++) {
      const box = { x: Math.floor(rng() * (size - side)), y: Math.floor(rng() * (size - side)), side };
      const file = join(root, name, `${n}.png`);
      await sharp(pixels(size, colour, box, rng), { raw: { width: size, height: size, channels: 3 } }).png().toFile(file);
      boxes.set(file, box);
    }
  }
  return boxes;
}

/** Whether the grid cell holding the map's peak overlaps the box (false for an empty map: it points nowhere). */
export function peakInBox(values: readonly number[], rows: number, cols: number, size: number, box: SquareBox): boolean {
  const peak = values.indexOf(Math.max(...values));
  if (values[peak] <= 0) return false;
  const [r, c] = [Math.floor(peak / cols), peak % cols];
  const [top, left, bottom, right] = [(r * size) / rows, (c * size) / cols, ((r + 1) * size) / rows, ((c + 1) * size) / cols];
  return left < box.x + box.side && right > box.x && top < box.y + box.side && bottom > box.y;
}
