import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectEngine } from '../../../src/engine/backend/select';
import { effectiveHistory, readMetrics } from '../../../src/engine/runs';
import { tfRecord } from '../../../src/engine/runs/tensorboard/records';
import { epochStep, TensorBoardLog } from '../../../src/engine/runs/tensorboard/tensorboardLog';
import { trainExperiment } from '../../../src/engine/training/train';
import { EXPERIMENT_FILE, TENSORBOARD_EVENTS_PREFIX } from '../../../src/shared/runLayout';
import { writeExperiment } from '../fixtures/experiments';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { RecordingListener } from '../training/listener';
import { crc32c, readEvents, readRecords, type DecodedEvent } from './tfEventReader';

async function eventFiles(runDir: string): Promise<string[]> {
  return (await readdir(runDir)).filter((name) => name.startsWith(TENSORBOARD_EVENTS_PREFIX)).sort().map((name) => join(runDir, name));
}

const DT_STRING = 7;

test("the reader's CRC32C is the Castagnoli CRC (RFC 3720 check value), so it checks the writer independently", () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
});

test('records are framed as TFRecords: a flipped byte in the data or the length fails its CRC', () => {
  const data = Buffer.from('any payload');
  const record = tfRecord(data);
  assert.deepEqual(readRecords(Buffer.concat([record, tfRecord(Buffer.alloc(0))])), [data, Buffer.alloc(0)]);
  const badData = Buffer.from(record);
  badData[14] ^= 1;
  assert.throws(() => readRecords(badData), /bad data CRC/);
  const badLength = Buffer.from(record);
  badLength[0] ^= 1;
  assert.throws(() => readRecords(badLength), /bad length CRC/);
});

test("a run's event file holds the file version, the experiment as text, and every epoch's scalars equal to metrics.jsonl", async () => {
  await selectEngine('wasm');
  const data = await writeSyntheticDataset(6);
  const phases = [{ name: 'head', epochs: 2, batchSize: 8, learningRate: 0.01 }, { name: 'slower', epochs: 2, batchSize: 8, learningRate: 0.002 }];
  const file = await writeExperiment(data, { phases });
  const cacheDir = await mkdtemp(join(tmpdir(), 'tl-cache-'));
  const { runDir, state } = await trainExperiment({ experimentFile: file, cacheDir, listener: new RecordingListener() });
  assert.equal(state, 'completed');

  const files = await eventFiles(runDir);
  assert.equal(files.length, 1, 'one process, one event file in the run folder');
  const events = readEvents(await readFile(files[0]));
  assert.equal(events[0].fileVersion, 'brain.Event:2');

  const texts = events.flatMap((e) => e.values.filter((v) => v.pluginName === 'text').map((v) => ({ step: e.step, ...v })));
  assert.equal(texts.length, 1);
  assert.equal(texts[0].tag, 'experiment');
  assert.equal(texts[0].dtype, DT_STRING);
  const snapshot = JSON.parse(await readFile(join(runDir, EXPERIMENT_FILE), 'utf8'));
  assert.deepEqual(JSON.parse(texts[0].strings!.join('').replace(/^ {4}/gm, '')), snapshot, 'the text is the experiment as run, as an indented markdown block');

  const scalars = new Map<string, Map<number, number>>();
  for (const event of events) {
    for (const v of event.values.filter((value) => value.simpleValue !== undefined)) {
      if (!scalars.has(v.tag)) scalars.set(v.tag, new Map());
      assert.ok(!scalars.get(v.tag)!.has(event.step), `one ${v.tag} per step`);
      scalars.get(v.tag)!.set(event.step, v.simpleValue!);
    }
  }
  const epochs = effectiveHistory(await readMetrics(runDir));
  assert.equal(epochs.length, 4);
  assert.deepEqual([...scalars.keys()].sort(), ['accuracy', 'learning_rate', 'loss', 'val_accuracy', 'val_loss']);
  const expected = (record: Record<string, unknown>, tag: string) => record[tag === 'learning_rate' ? 'learningRate' : tag];
  for (const record of epochs) {
    const step = epochStep(phases, record.phaseIndex, record.epoch);
    for (const [tag, byStep] of scalars) {
      assert.equal(byStep.get(step), Math.fround(expected(record, tag) as number), `${tag} of phase ${record.phase} epoch ${record.epoch} (step ${step})`);
    }
  }
  assert.deepEqual([...scalars.get('loss')!.keys()], [1, 2, 3, 4], 'steps count on across phases');
});

test('a resumed run starts a new event file that tells TensorBoard to drop the epochs it redoes', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'tl-tb-'));
  const first = await TensorBoardLog.open(runDir, { experiment: { name: 'x' } });
  await first.scalars(1, { loss: 1 });
  await first.scalars(2, { loss: 0.5 });
  const resumed = await TensorBoardLog.open(runDir, { resumedAtStep: 2 });
  await resumed.scalars(2, { loss: 0.4 });
  const files = await eventFiles(runDir);
  assert.equal(files.length, 2);
  const events: DecodedEvent[] = readEvents(await readFile(files[1]));
  assert.equal(events[0].fileVersion, 'brain.Event:2');
  assert.deepEqual([events[1].step, events[1].sessionStatus], [2, 1], 'SessionLog START at the first redone step');
  assert.deepEqual(events[2].values, [{ tag: 'loss', simpleValue: 0.4000000059604645 }]);
});
