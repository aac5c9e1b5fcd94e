import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { selectEngine } from '../../../src/engine/backend/select';
import { BEST_TAG, loadCheckpoint, phaseEndings, readMetrics } from '../../../src/engine/runs';
import { CHECKPOINTS_DIR, MODEL_DIR } from '../../../src/shared/runLayout';
import { trainExperiment } from '../../../src/engine/training/train';
import { tempDir } from '../data/fixtures';
import { writeExperiment } from '../fixtures/experiments';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { assertExportedWeights } from './exportedWeights';
import { RecordingListener } from './listener';

before(() => selectEngine('wasm'));

test('early stopping with restoreBestWeights: the exported model holds exactly the best epoch\'s weights', async (t) => {
  const data = await writeSyntheticDataset(4);
  // a rate this high makes validation loss bounce, so the best epoch is not the last one
  const file = await writeExperiment(data, {
    phases: [{ name: 'head', epochs: 8, batchSize: 4, optimizer: 'sgd', learningRate: 2 }],
    callbacks: { earlyStopping: { monitor: 'val_loss', patience: 2, restoreBestWeights: true } },
  });
  const listener = new RecordingListener();
  const result = await trainExperiment({ experimentFile: file, cacheDir: tempDir(t), listener });
  assert.equal(result.state, 'completed');
  const losses = listener.epochs.map((e) => e.val_loss);
  const bestEpoch = losses.indexOf(Math.min(...losses)) + 1;
  assert.ok(bestEpoch < listener.epochs.length, `val losses ${losses}: the best epoch must not be the last`);
  assert.ok(listener.logs.some((l) => l.message.endsWith(`restored the weights of its best epoch, ${bestEpoch}`)));
  // the run records it, so the dashboard, report and completion message can say it
  const ran = listener.epochs.length;
  assert.deepEqual(phaseEndings(await readMetrics(result.runDir)), [{ phaseIndex: 0, phase: 'head', epoch: ran, plannedEpochs: 8, stoppedEarly: ran < 8, restoredEpoch: bestEpoch }]);

  const best = await loadCheckpoint(join(result.runDir, CHECKPOINTS_DIR, BEST_TAG));
  assert.equal(best.manifest.epoch, bestEpoch);
  await assertExportedWeights(result.runDir, best.tensors, "the best epoch's");

  // killed after the phase's last checkpoint, before evaluation and export: the resume must end the same way
  await rm(join(result.runDir, MODEL_DIR), { recursive: true });
  await rm(join(result.runDir, 'evaluation.json'));
  const resumedListener = new RecordingListener();
  const resumed = await trainExperiment({ experimentFile: file, resumeRunDir: result.runDir, cacheDir: tempDir(t), listener: resumedListener });
  assert.equal(resumed.state, 'completed');
  assert.equal(resumedListener.epochs.length, 0, 'the phase had ended (stopped early or at its last epoch): nothing is trained again');
  await assertExportedWeights(result.runDir, best.tensors, "the best epoch's, after the resume too");
});
