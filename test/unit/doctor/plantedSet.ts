// A small copy of ../shared/data/flowers with planted mistakes: a known 5 % of the training images moved into a wrong
// class folder, and 10 test images copied into train (5 as they are, 5 resized to 80 % and re-encoded as JPEG q70).
import { copyFile, mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

export interface PlantedSet {
  root: string;
  /** Where each moved file is now (absolute). */
  moved: string[];
  /** The leaked copies in train, and the test file each copies. */
  leaked: { copy: string; original: string }[];
}

async function copyFirst(from: string, to: string, perClass: number): Promise<void> {
  for (const name of (await readdir(from)).sort()) {
    await mkdir(join(to, name), { recursive: true });
    for (const file of (await readdir(join(from, name))).sort().slice(0, perClass)) await copyFile(join(from, name, file), join(to, name, file));
  }
}

export async function plantedFlowers(flowers: string, root: string, trainPerClass: number, testPerClass: number): Promise<PlantedSet> {
  await copyFirst(join(flowers, 'train'), join(root, 'train'), trainPerClass);
  await copyFirst(join(flowers, 'test'), join(root, 'test'), testPerClass);
  const classes = (await readdir(join(root, 'train'))).sort();
  const train = (await Promise.all(classes.map(async (name, c) => (await readdir(join(root, 'train', name))).sort().map((file) => ({ c, file })))));
  const all = train.flat();
  const count = Math.round(all.length * 0.05);
  const moved: string[] = [];
  // every 20th training image, so each class loses about as many as it gains
  for (let i = 0; i < count; i++) {
    const { c, file } = all[Math.floor((i * all.length) / count) + 7];
    const to = classes[(c + 1 + (i % (classes.length - 1))) % classes.length];
    await rename(join(root, 'train', classes[c], file), join(root, 'train', to, file));
    moved.push(join(root, 'train', to, file));
  }
  const leaked: PlantedSet['leaked'] = [];
  for (let i = 0; i < 10; i++) {
    const name = classes[i % classes.length];
    const file = (await readdir(join(root, 'test', name))).sort()[Math.floor(i / classes.length)];
    const original = join(root, 'test', name, file);
    const copy = join(root, 'train', name, `leaked-${i}-${file.replace(/\.\w+$/, '')}.jpg`);
    if (i < 5) await copyFile(original, copy);
    else {
      const { width = 0, height = 0 } = await sharp(original).metadata();
      await sharp(original).resize(Math.round(width * 0.8), Math.round(height * 0.8)).jpeg({ quality: 70 }).toFile(copy);
    }
    leaked.push({ copy, original });
  }
  return { root, moved, leaked };
}
