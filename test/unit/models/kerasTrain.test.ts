// A keras.applications base through the real trainer: both strategies, then the Keras export of the run.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportRun } from '../../../src/cli/export';
import { selectEngine } from '../../../src/engine/backend/select';
import { findCatalogEntry, kerasWeightsFile } from '../../../src/engine/models/catalog';
import { cachedFilePath } from '../../../src/engine/models/fileDownload';
import { readKerasModelFile } from '../../../src/engine/models/keras/readModel';
import { trainExperiment } from '../../../src/engine/training/train';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { RecordingListener } from '../training/listener';

const MOBILENET_025 = path.join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'weights', 'mobilenet_2_5_224_tf_no_top.h5');

let cacheDir: string;
let data: string;

before(async () => {
  await selectEngine('wasm');
  data = await writeSyntheticDataset(8);
  cacheDir = await mkdtemp(path.join(tmpdir(), 'keras-train-cache-'));
  // The ImageNet file sits where a download would have put it, so the run is offline.
  const cached = cachedFilePath(kerasWeightsFile(findCatalogEntry('mobilenet_0.25')!, 96, false)!.url, cacheDir);
  await mkdir(path.dirname(cached), { recursive: true });
  await copyFile(MOBILENET_025, cached);
});

test('MobileNet 0.25 with ImageNet weights at 96 px trains a head, then fine-tunes its top blocks, and exports to Keras', { skip: !existsSync(MOBILENET_025) && 'needs ../shared/data/weights' }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'keras-train-'));
  const file = path.join(dir, 'mobilenet.experiment.json');
  await writeFile(file, JSON.stringify({
    name: 'keras-base', seed: 3, data: { root: data, inputSize: 96, split: { val: 0.25 } }, base: { model: 'mobilenet_0.25' },
    phases: [
      { name: 'head', epochs: 1, batchSize: 8, learningRate: 0.01 },
      { name: 'tune', epochs: 1, batchSize: 8, learningRate: 0.001, trainable: { topBlocks: 2 } },
    ],
  }));
  const result = await trainExperiment({ experimentFile: file, cacheDir, listener: new RecordingListener() });
  assert.equal(result.state, 'completed');
  assert.deepEqual(result.phases.map((p) => p.name), ['head', 'tune']);
  assert.ok(result.phases[1].trainableParams > result.phases[0].trainableParams, 'fine-tuning unfreezes base layers');
  const exported = await exportRun(result.runDir, { format: 'keras' });
  const reread = await readKerasModelFile(exported.file);
  assert.equal(reread.weightData.byteLength / 4, exported.params);
});
