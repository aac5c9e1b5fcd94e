// The defaults reach published accuracy with a real ImageNet base given as a file and no preprocessing given:
// detection must find darknet-tiny's pixels / 255 (fed [-1, 1] it scores 0.75 on flowers instead of 0.92).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeExperimentFile } from '../../../src/engine/experiment/writeExperiment';
import { selectEngine } from '../../../src/engine/backend/select';
import { trainExperiment } from '../../../src/engine/training/train';
import { imageRunUse } from '../../../src/engine/training/runModel';
import { DEFAULT_RECIPE } from '../../../src/shared/recipe';
import { RecordingListener } from './listener';

const SHARED = join(__dirname, '..', '..', '..', '..', 'shared', 'data');
const DARKNET = join(SHARED, 'weights', 'darknet-tiny-tfjs');
const FLOWERS = join(SHARED, 'flowers');
const CATS_AND_DOGS = join(SHARED, 'cats_and_dogs');
const absent = (...paths: string[]) => !paths.every(existsSync) && `needs ../shared/data (${paths.map((p) => p.slice(SHARED.length + 1)).join(', ')})`;

before(() => selectEngine('wasm'));

/** `transfer-lab init --data <data> --base <darknet> --strategy feature-extraction` (default epochs), then `transfer-lab train`. */
async function trainDarknet(data: string) {
  const dir = await mkdtemp(join(tmpdir(), 'published-'));
  const file = join(dir, 'darknet.experiment.json');
  await writeExperimentFile({ file, data, base: DARKNET, strategy: 'feature-extraction', epochs: DEFAULT_RECIPE.headEpochs });
  const listener = new RecordingListener();
  const result = await trainExperiment({ experimentFile: file, cacheDir: join(dir, 'cache'), listener });
  assert.equal(result.state, 'completed', result.message);
  const preprocessing = listener.logs.find((l) => l.message.startsWith('preprocessing:'))!.message;
  assert.match(preprocessing, /^preprocessing: scale-0-1 — the batch-norm statistics/);
  return result;
}

test('darknet-tiny on flowers with no preprocessing given: test accuracy ≥ 0.92', { skip: absent(DARKNET, FLOWERS) }, async (t) => {
  const result = await trainDarknet(join(FLOWERS, 'train'));
  const report = await imageRunUse.evaluate(result.runDir, join(FLOWERS, 'test'));
  t.diagnostic(`flowers: val ${result.valAccuracy.toFixed(3)}, test ${report.accuracy.toFixed(3)}, ${result.seconds.toFixed(0)} s`);
  assert.ok(report.accuracy >= 0.92, `test accuracy ${report.accuracy} (val ${result.valAccuracy})`);
});

test('darknet-tiny on cats_and_dogs with no preprocessing given: validation accuracy ≥ 0.97', { skip: absent(DARKNET, CATS_AND_DOGS) }, async (t) => {
  const result = await trainDarknet(CATS_AND_DOGS); // its train/ and validation/ folders are the split
  t.diagnostic(`cats_and_dogs: val ${result.valAccuracy.toFixed(3)}, ${result.seconds.toFixed(0)} s`);
  assert.ok(result.valAccuracy >= 0.97, `validation accuracy ${result.valAccuracy}`);
});
