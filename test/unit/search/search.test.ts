// `search` at a reduced size on real photos: two bases (the shipped MobileNetV2, darknet-tiny), a subset of the
// flowers training set; the ranking is produced, the winner's file validates and trains. Skips without ../shared.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { selectEngine } from '../../../src/engine/backend/select';
import { validateExperiment } from '../../../src/engine/experiment/validate';
import { searchExperiment } from '../../../src/engine/search/search';
import { writeRowExperiment } from '../../../src/engine/search/winner';
import { loadExperimentFile } from '../../../src/engine/experiment/load';
import { trainExperiment } from '../../../src/engine/training/train';
import { sharedData, skipWithoutSharedData } from '../fixtures/sharedData';
import { RecordingListener } from '../training/listener';
import { runCli } from '../cli/runCli';

const FLOWERS = ['flowers', 'train'];
const DARKNET = ['weights', 'darknet-tiny-tfjs', 'model.json'];
const skip = skipWithoutSharedData(FLOWERS, DARKNET);
const CLASSES = ['daisy', 'dandelion', 'sunflower', 'tigerlily'];
const PER_CLASS = 12;

let experimentFile: string;
let cacheDir: string;

before(async () => {
  if (skip) return;
  await selectEngine('wasm');
  const dir = await mkdtemp(join(tmpdir(), 'tl-search-'));
  for (const name of CLASSES) {
    const from = join(sharedData(...FLOWERS)!, name);
    await mkdir(join(dir, 'photos', name), { recursive: true });
    for (const file of (await readdir(from)).sort().slice(0, PER_CLASS)) await copyFile(join(from, file), join(dir, 'photos', name, file));
  }
  experimentFile = join(dir, 'flowers.experiment.json');
  await writeFile(experimentFile, JSON.stringify({
    name: 'flowers', seed: 42, data: { root: 'photos', inputSize: 128, split: { val: 0.25 } }, base: { model: 'nsfwjs_mobilenet_v2' },
    phases: [{ name: 'feature-extraction', epochs: 5, batchSize: 16, learningRate: 1e-3 }], callbacks: { earlyStopping: { patience: 3 } },
  }));
  cacheDir = await mkdtemp(join(tmpdir(), 'tl-cache-'));
});

test('search ranks two bases on folds of the training split and writes a winner that validates and trains', { skip }, async () => {
  const darknet = sharedData(...DARKNET)!;
  const listener = new RecordingListener();
  const result = await searchExperiment({ experimentFile, bases: ['nsfwjs_mobilenet_v2', darknet], trials: 6, cacheDir, listener });
  assert.equal(result.folds, 3, 'a small set is cross-validated');
  assert.ok(listener.logs.some((l) => /validation and test images are not used/.test(l.message)));
  assert.equal(result.leaderboard.length, 6);
  const bases = new Set(result.leaderboard.map((row) => row.base));
  assert.ok(bases.has('nsfwjs_mobilenet_v2') && [...bases].some((b) => b.endsWith('model.json')), [...bases].join(', '));
  for (const row of result.leaderboard) {
    assert.ok(row.cvAccuracy >= 0 && row.cvAccuracy <= 1 && row.cvStd >= 0 && row.msPerImage > 0 && row.params > 1e5, JSON.stringify(row));
  }
  const lastRung = result.leaderboard.filter((row) => row.rung === result.leaderboard[0].rung);
  assert.deepEqual(lastRung.map((r) => r.cvAccuracy), [...lastRung.map((r) => r.cvAccuracy)].sort((a, b) => b - a), 'best first');
  const best = (base: (b: string) => boolean) => Math.max(...result.leaderboard.filter((r) => base(r.base)).map((r) => r.cvAccuracy));
  assert.ok(best((b) => b.endsWith('model.json')) > best((b) => b === 'nsfwjs_mobilenet_v2'), 'ImageNet darknet-tiny beats the nsfwjs checkpoint on flowers');

  assert.equal(basename(result.bestExperiment), 'flowers.best.experiment.json');
  assert.equal(dirname(result.bestExperiment), dirname(experimentFile));
  const written = validateExperiment(JSON.parse(await readFile(result.bestExperiment, 'utf8')), result.bestExperiment);
  assert.equal(written.base.model, result.leaderboard[0].base);
  assert.equal(written.phases[0].learningRate, result.leaderboard[0].settings.learningRate);
  const other = result.leaderboard.findIndex((row) => row.base !== result.leaderboard[0].base);
  const otherFile = await writeRowExperiment(await loadExperimentFile(experimentFile), result.leaderboard[other], other + 1);
  assert.equal(basename(otherFile), `flowers.trial-${other + 1}.experiment.json`, 'another row is written beside the experiment on demand');
  const otherWritten = validateExperiment(JSON.parse(await readFile(otherFile, 'utf8')), otherFile);
  assert.deepEqual([otherWritten.base.model, otherWritten.head.hiddenUnits, otherWritten.phases[0].learningRate], [result.leaderboard[other].base, result.leaderboard[other].settings.hiddenUnits, result.leaderboard[other].settings.learningRate]);
  const trainListener = new RecordingListener();
  const run = await trainExperiment({ experimentFile: result.bestExperiment, cacheDir, listener: trainListener });
  assert.equal(run.state, 'completed');
  assert.equal(trainListener.computedImages(), CLASSES.length * PER_CLASS / 4, 'the search cached the training images\' features: the run computes only its validation images\'');
  assert.ok(run.valAccuracy > 0.5, `val accuracy ${run.valAccuracy} (chance 0.25)`);
});

test('transfer-lab search --json: the last line is the leaderboard, the winner file and the time', { skip }, async () => {
  const result = await runCli(['search', experimentFile, '--bases', 'nsfwjs_mobilenet_v2', '--trials', '3', '--cache-dir', cacheDir, '--json'], { TRANSFER_LAB_ENGINE: 'wasm' });
  assert.equal(result.code, 0, result.stderr);
  const json = result.json as { leaderboard: Record<string, unknown>[]; best_experiment: string; seconds: number };
  assert.deepEqual(Object.keys(json.leaderboard[0]).slice(0, 6), ['base', 'settings', 'cv_accuracy', 'cv_std', 'ms_per_image', 'params']);
  assert.equal(json.leaderboard.length, 3);
  assert.ok(json.best_experiment.endsWith('flowers.best.experiment.json') && json.seconds > 0);
});
