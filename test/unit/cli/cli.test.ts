import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './runCli';
import { sharedData, skipWithoutSharedData } from '../fixtures/sharedData';

const FLOWERS = sharedData('flowers', 'train');
const CLASSES = ['daisy', 'dandelion', 'sunflower', 'tigerlily'];

/** A subset of the real flower photos, plus two broken files a run must skip and report. */
async function flowerFolder(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'tl-flowers-'));
  for (const name of CLASSES) {
    const files = (await readdir(join(FLOWERS!, name))).sort().slice(0, 30);
    await mkdir(join(root, name));
    await Promise.all(files.map((f) => cp(join(FLOWERS!, name, f), join(root, name, f))));
  }
  await writeFile(join(root, 'daisy', 'empty.jpg'), '');
  await writeFile(join(root, 'sunflower', 'notes.jpg'), 'this is text, not a JPEG');
  return root;
}

test('CLI end to end on real photos: init, train (both phases), evaluate, predict, inspect', { skip: skipWithoutSharedData(['flowers', 'train']) }, async () => {
  const data = await flowerFolder();
  const work = await mkdtemp(join(tmpdir(), 'tl-cli-'));
  const env = { TRANSFER_LAB_CACHE: join(work, 'cache') };
  const file = join(work, 'flowers.experiment.json');
  const init = await runCli(['init', file, '--data', data, '--input-size', '96', '--epochs', '15', '--fine-tune-epochs', '2', '--json'], env);
  assert.equal(init.code, 0, init.stderr);

  const train = await runCli(['train', file, '--json'], env);
  assert.equal(train.code, 0, train.stderr);
  const result = train.json as { run_dir: string; engine: string; val_accuracy: number; epochs: number; seconds: number; skipped_files: number; state: string };
  assert.equal(result.state, 'completed');
  assert.equal(result.engine, 'wasm');
  assert.ok(result.val_accuracy >= 0.55, `val accuracy ${result.val_accuracy} should be far above chance (0.25)`);
  assert.ok(result.epochs >= 3 && result.seconds > 0);
  assert.equal(result.skipped_files, 2, 'the zero-byte and the text file are skipped and counted');
  const skipped = JSON.parse(await readFile(join(result.run_dir, 'skipped.json'), 'utf8')) as { path: string; reason: string }[];
  assert.deepEqual(skipped.map((s) => s.path.split('/').pop()).sort(), ['empty.jpg', 'notes.jpg']);

  const evaluate = await runCli(['evaluate', result.run_dir, '--json'], env);
  assert.equal(evaluate.code, 0, evaluate.stderr);
  const report = evaluate.json as { accuracy: number; confusion_matrix: number[][]; per_class: { name: string }[] };
  assert.equal(report.accuracy, result.val_accuracy, 'the exported model scores what training reported');
  assert.deepEqual(report.per_class.map((c) => c.name), CLASSES);
  assert.equal(report.confusion_matrix.length, 4);

  const predict = await runCli(['predict', result.run_dir, join(FLOWERS!, 'sunflower'), '--top', '2', '--json'], env);
  assert.equal(predict.code, 0, predict.stderr);
  const predictions = (predict.json as { predictions: { top: { label: string }[] }[] }).predictions;
  assert.equal(predictions.length, 60);
  assert.ok(predictions.filter((p) => p.top[0].label === 'sunflower').length >= 40);

  const inspect = await runCli(['inspect', 'nsfwjs_mobilenet_v2', '--input-size', '96', '--json'], env);
  assert.equal(inspect.code, 0, inspect.stderr);
  const model = inspect.json as { params: number; layers: { name: string }[] };
  assert.equal(model.params, 2_257_984);
  assert.equal(model.layers.at(-1)?.name, 'out_relu');
});

test('CLI errors name the file and the fix, with a non-zero exit', async () => {
  const work = await mkdtemp(join(tmpdir(), 'tl-cli-'));
  const missing = await runCli(['train', join(work, 'nope.experiment.json'), '--json']);
  assert.equal(missing.code, 1);
  assert.match(String(missing.json.error), /nope\.experiment\.json: cannot read the file \(ENOENT\) — check the path/);

  const flat = join(work, 'flat');
  await mkdir(flat);
  await writeFile(join(flat, 'a.jpg'), 'x');
  const file = join(work, 'flat.experiment.json');
  assert.equal((await runCli(['init', file, '--data', flat])).code, 0);
  const noClasses = await runCli(['train', file, '--json']);
  assert.equal(noClasses.code, 1);
  assert.match(String(noClasses.json.error), new RegExp(`${flat}.*one sub-folder per class`));

  const usage = await runCli(['frobnicate']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /unknown command "frobnicate"/);

  const tooMany = await runCli(['sample', join(work, 'sample'), '--per-class', '101', '--no-train']);
  assert.equal(tooMany.code, 2);
  assert.match(tooMany.stderr, /--per-class: the built-in sample has 100 examples per class: choose a count from 1 to 100 \(got 101\)/);
});
