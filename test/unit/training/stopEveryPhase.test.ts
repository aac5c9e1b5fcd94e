// A stop is a stop whatever the phase: feature extraction, top blocks or every layer, with or without augmentation,
// between batches, while a batch loads, at an epoch's end or while a phase prepares. The run ends "cancelled", only
// epochs that really ran are logged and checkpointed, and a resume finishes exactly the epochs that were missing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { selectEngine } from '../../../src/engine/backend/select';
import { CHECKPOINTS_DIR } from '../../../src/shared/runLayout';
import { effectiveHistory, epochCheckpointTag, readMetrics, readRunState, type MetricsRecord } from '../../../src/engine/runs';
import { trainExperiment } from '../../../src/engine/training/train';
import type { EpochMetrics, ProgressMessage } from '../../../src/protocol/host';
import { tempDir } from '../data/fixtures';
import { writeExperiment } from '../fixtures/experiments';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { RecordingListener } from './listener';

/** Calls `stop` at one chosen moment of the run. */
class StoppingListener extends RecordingListener {
  onEpoch?: (metrics: EpochMetrics) => void;
  onProgress?: (message: ProgressMessage) => void;
  override epoch(metrics: EpochMetrics) {
    super.epoch(metrics);
    this.onEpoch?.(metrics);
  }
  override progress(message: ProgressMessage) {
    super.progress(message);
    this.onProgress?.(message);
  }
}

const EPOCHS = 3;
const kinds = [
  { kind: 'feature extraction', cached: true, phases: [{ name: 'head', epochs: EPOCHS, batchSize: 4, learningRate: 0.01 }] },
  { kind: 'top-blocks fine-tuning', cached: true, phases: [{ name: 'head', epochs: 1, batchSize: 4, learningRate: 0.01 }, { name: 'tune', epochs: EPOCHS, batchSize: 4, learningRate: 1e-4, trainable: { topBlocks: 1 } }] },
  // nothing frozen, so nothing cached: the phase prepares nothing a stop could land in
  { kind: 'all-layers fine-tuning', cached: false, phases: [{ name: 'head', epochs: 1, batchSize: 4, learningRate: 0.01 }, { name: 'tune', epochs: EPOCHS, batchSize: 4, learningRate: 1e-4, trainable: { all: true } }] },
];

type Moment = 'between two batches' | 'while the next batch loads' | 'when an epoch has just ended' | 'while the phase prepares';
const moments: Moment[] = ['between two batches', 'while the next batch loads', 'when an epoch has just ended', 'while the phase prepares'];

/** Arms `listener` to abort `controller` at `moment` of the phase at `target`. */
function stopAt(listener: StoppingListener, controller: AbortController, moment: Moment, target: number): void {
  const stop = () => controller.abort();
  if (moment === 'between two batches') listener.onBatch = (b) => b.phaseIndex === target && b.epoch === 2 && b.batch === 1 && stop();
  if (moment === 'while the next batch loads') listener.onBatch = (b) => b.phaseIndex === target && b.epoch === 2 && b.batch === 1 && setImmediate(stop);
  if (moment === 'when an epoch has just ended') listener.onEpoch = (e) => e.phaseIndex === target && e.epoch === 1 && stop();
  // the first phase prepares before any epoch; a later one after the epochs of the phases before it
  if (moment === 'while the phase prepares') listener.onProgress = (p) => p.stage === 'features' && listener.epochs.length === target && stop();
}

const epochRecords = (records: MetricsRecord[]) => records.filter((r) => r.type === 'epoch');

async function epochCheckpoints(runDir: string): Promise<string[]> {
  const names = await readdir(join(runDir, CHECKPOINTS_DIR)).catch(() => []);
  return names.filter((name) => name.startsWith('epoch-')).sort();
}

let data: string;
before(async () => {
  await selectEngine('wasm');
  data = await writeSyntheticDataset(4, { size: 32 });
});

for (const { kind, cached, phases } of kinds) {
  for (const augmented of [false, true]) {
    for (const moment of moments.filter((m) => cached || m !== 'while the phase prepares')) {
      const target = phases.length - 1;
      const name = `stop ${moment} during ${kind}${augmented ? ' with augmentation' : ''}: "cancelled", only real epochs logged, resume completes the rest`;
      test(name, async (t) => {
        const augmentation = augmented ? { flip: true, brightness: 0.2 } : {};
        const file = await writeExperiment(data, { data: { root: data, inputSize: 32, split: { val: 0.25 }, augmentation }, phases }, tempDir(t));
        const cacheDir = tempDir(t);
        const listener = new StoppingListener();
        const controller = new AbortController();
        stopAt(listener, controller, moment, target);
        const result = await trainExperiment({ experimentFile: file, cacheDir, listener, signal: controller.signal });
        assert.ok(controller.signal.aborted, `the run reached the moment to stop (${moment})`);
        assert.equal(result.state, 'cancelled', result.message);
        assert.equal((await readRunState(result.runDir))?.state, 'cancelled');
        const logged = epochRecords(await readMetrics(result.runDir));
        for (const record of logged) assert.ok(Number.isFinite(record.loss) && Number.isFinite(record.val_loss), `epoch ${record.epoch} of phase ${record.phaseIndex} was logged without running: ${JSON.stringify(record)}`);
        const inTarget = logged.filter((r) => r.phaseIndex === target).map((r) => r.epoch);
        assert.deepEqual(inTarget, inTarget.map((_, i) => i + 1), 'the epochs that ran, in order');
        assert.ok(inTarget.length < EPOCHS, `the stopped phase logged ${inTarget.length} of ${EPOCHS} epochs`);
        const kept = logged.map((r) => epochCheckpointTag(r.phaseIndex, r.epoch));
        for (const tag of await epochCheckpoints(result.runDir)) assert.ok(kept.includes(tag), `checkpoint ${tag} is of a logged epoch`);

        const resumed = await trainExperiment({ experimentFile: file, resumeRunDir: result.runDir, cacheDir, listener: new RecordingListener() });
        assert.equal(resumed.state, 'completed', resumed.message);
        const history = effectiveHistory(await readMetrics(result.runDir));
        assert.deepEqual(history.map((r) => [r.phaseIndex, r.epoch]), phases.flatMap((p, i) => Array.from({ length: p.epochs }, (_, e) => [i, e + 1])), 'every epoch once, in order');
        for (const record of history) assert.ok(Number.isFinite(record.loss), `epoch ${record.epoch} of phase ${record.phaseIndex} has a real loss`);
      });
    }
  }
}
