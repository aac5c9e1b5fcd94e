import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { selectEngine } from '../../../src/engine/backend/select';
import { CHECKPOINTS_DIR, EVALUATION_FILE, EXPERIMENT_FILE, LABELS_FILE, METRICS_FILE, MODEL_DIR, MODEL_FILES } from '../../../src/shared/runLayout';
import { trainExperiment } from '../../../src/engine/training/train';
import { tempDir } from '../data/fixtures';
import { writeExperiment } from '../fixtures/experiments';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { RecordingListener } from './listener';

before(() => selectEngine('wasm'));

test('nothing is lost: a run keeps the experiment as run, its metrics and checkpoints; later edits and reruns never touch it', async (t) => {
  const data = await writeSyntheticDataset(4);
  const cacheDir = tempDir(t);
  const file = await writeExperiment(data, { phases: [{ name: 'head', epochs: 2, batchSize: 8, learningRate: 0.01 }] });
  const train = () => trainExperiment({ experimentFile: file, cacheDir, listener: new RecordingListener() });
  const first = await train();
  const keptFiles = [EXPERIMENT_FILE, METRICS_FILE, LABELS_FILE, EVALUATION_FILE, join(MODEL_DIR, MODEL_FILES.layersModel)];
  const kept = await Promise.all(keptFiles.map((name) => readFile(join(first.runDir, name))));
  const snapshot = JSON.parse(kept[0].toString('utf8'));
  assert.equal(snapshot.data.root, data, 'the snapshot names the data folder absolutely');
  assert.deepEqual(snapshot.phases.map((p: { epochs: number }) => p.epochs), [2]);
  assert.deepEqual((await readdir(join(first.runDir, CHECKPOINTS_DIR))).sort(), ['epoch-0-0001', 'epoch-0-0002']);
  const metrics = kept[1].toString('utf8').trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(metrics.filter((r) => r.type === 'epoch').map((r) => r.epoch), [1, 2]);

  await writeFile(file, (await readFile(file, 'utf8')).replace('"epochs":2', '"epochs":3'));
  const second = await train();
  assert.notEqual(second.runDir, first.runDir, 'a rerun gets its own folder');
  assert.equal(second.epochs, 3, 'the rerun ran the edited experiment');
  const after = await Promise.all(keptFiles.map((name) => readFile(join(first.runDir, name))));
  after.forEach((content, i) => assert.ok(content.equals(kept[i]), `${keptFiles[i]} of the first run changed`));
});
