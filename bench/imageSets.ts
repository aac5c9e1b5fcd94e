// The fixed images every figure uses: a cats-and-dogs subset when the shared photo folder exists (the TensorFlow
// tutorial's data), otherwise Fashion-MNIST from its package (a devDependency); kept between runs in .cache/bench.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { FASHION_CLASSES } from '../src/engine/sample/fashionSample';

export interface ImageSet {
  description: string;
  train: string;
  val: string;
  trainCount: number;
  valCount: number;
}

const CACHE = join(__dirname, '..', '.cache', 'bench');

function sharedCatsAndDogs(): string | undefined {
  const root = join(process.env.TRANSFER_LAB_SHARED_DATA ?? join(__dirname, '..', '..', 'shared', 'data'), 'cats_and_dogs');
  return existsSync(join(root, 'train')) ? root : undefined;
}

/** Builds `folder` with `make` into a temp name first, so an interrupted run never leaves half a set behind. */
async function once(folder: string, make: (dir: string) => Promise<void>): Promise<string> {
  if (existsSync(folder)) return folder;
  const temp = `${folder}.partial`;
  await rm(temp, { recursive: true, force: true });
  await make(temp);
  await rename(temp, folder);
  return folder;
}

/** The first `count` files (sorted by name) of each class folder of `from`. */
async function copySubset(from: string, to: string, count: number): Promise<void> {
  for (const name of (await readdir(from)).sort()) {
    const files = (await readdir(join(from, name))).sort().slice(0, count);
    await mkdir(join(to, name), { recursive: true });
    await Promise.all(files.map((file) => copyFile(join(from, name, file), join(to, name, file))));
  }
}

/** Training and validation images for the experiment, Keras and fine-tuning figures (two classes of photos). */
export async function experimentImages(trainPerClass: number, valPerClass: number): Promise<ImageSet> {
  const shared = sharedCatsAndDogs();
  if (shared) {
    const dir = await once(join(CACHE, `cats_and_dogs-${trainPerClass}-${valPerClass}`), async (temp) => {
      await copySubset(join(shared, 'train'), join(temp, 'train'), trainPerClass);
      await copySubset(join(shared, 'validation'), join(temp, 'val'), valPerClass);
    });
    return { description: `cats_and_dogs subset (JPEG photos), 2 classes`, train: join(dir, 'train'), val: join(dir, 'val'), trainCount: 2 * trainPerClass, valCount: 2 * valPerClass };
  }
  // Fashion-MNIST has 10 classes: the same image count, spread over them.
  const per = (n: number) => Math.max(1, Math.round((2 * n) / 10));
  const dir = await once(join(CACHE, `fashion-${per(trainPerClass)}-${per(valPerClass)}`), async (temp) => {
    await writeFashionPngs(join(temp, 'train'), per(trainPerClass) + per(valPerClass));
    await moveTail(join(temp, 'train'), join(temp, 'val'), per(valPerClass));
  });
  return { description: 'Fashion-MNIST sample (28 px PNG), 10 classes — /work/shared not found', train: join(dir, 'train'), val: join(dir, 'val'), trainCount: 10 * per(trainPerClass), valCount: 10 * per(valPerClass) };
}

/** Moves the last `count` files of each class folder to the same class under `to`. */
async function moveTail(from: string, to: string, count: number): Promise<void> {
  for (const name of await readdir(from)) {
    const files = (await readdir(join(from, name))).sort().slice(-count);
    await mkdir(join(to, name), { recursive: true });
    await Promise.all(files.map((file) => rename(join(from, name, file), join(to, name, file))));
  }
}

/** `perClass` 28 px PNGs of each Fashion-MNIST class from the package: up to 7,000 per class (the built-in sample ships 100). */
async function writeFashionPngs(dir: string, perClass: number): Promise<void> {
  for (const [index, name] of FASHION_CLASSES.entries()) {
    await mkdir(join(dir, name), { recursive: true });
    // The package has a few empty rows (e.g. class 0, rows 1000 and 7001): keep only whole 28×28 images.
    const rows = (require(`fashion-mnist/src/clothes/${index}.json`).data as number[][]).filter((row) => row.length === 28 * 28).slice(0, perClass);
    for (let start = 0; start < rows.length; start += 500) {
      await Promise.all(rows.slice(start, start + 500).map(async (row, n) => {
        const png = await sharp(Buffer.from(row), { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer();
        await writeFile(join(dir, name, `${String(start + n).padStart(4, '0')}.png`), png);
      }));
    }
  }
}

/** `perClass` × 10 small PNGs for the memory figure. */
export function fashionImages(perClass: number): Promise<string> {
  return once(join(CACHE, `fashion-memory-${perClass}`), (temp) => writeFashionPngs(temp, perClass));
}
