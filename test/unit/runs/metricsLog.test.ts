import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  MetricsRecord, appendMetrics, effectiveHistory, readMetrics, resumedEvent,
} from '../../../src/engine/runs/metricsLog';
import { createRng } from '../../../src/engine/random';
import { MetricsLogCallback } from '../../../src/engine/training/callbacks';
import { tempDir } from './fixtures/tempDir';

const epochRecord = (phaseIndex: number, epoch: number, attempt: number): MetricsRecord => ({
  type: 'epoch', phase: `phase-${phaseIndex}`, phaseIndex, epoch, attempt,
});
const keys = (records: MetricsRecord[]) => records.map((r) => `${r.phaseIndex}:${r.epoch}`);

test('records read back in order; no log yet reads as empty', async (t) => {
  const runDir = await tempDir(t);
  assert.deepEqual(await readMetrics(runDir), []);
  const written = [epochRecord(0, 1, 0), { ...epochRecord(0, 2, 0), type: 'batch' as const, loss: 0.5 }];
  for (const record of written) await appendMetrics(runDir, record);
  assert.deepEqual(await readMetrics(runDir), written);
});

test('a torn last line is ignored, and the next append neither glues onto it nor rewrites earlier lines', async (t) => {
  const runDir = await tempDir(t);
  const file = join(runDir, 'metrics.jsonl');
  for (let epoch = 1; epoch <= 3; epoch++) await appendMetrics(runDir, epochRecord(0, epoch, 0));
  await appendFile(file, '{"type":"epoch","phase":"phase-0","pha'); // a crash mid-append
  const before = await readFile(file);
  assert.deepEqual(keys(await readMetrics(runDir)), ['0:1', '0:2', '0:3']);
  await appendMetrics(runDir, epochRecord(0, 4, 0));
  const after = await readFile(file);
  assert.deepEqual(after.subarray(0, before.length), before);
  assert.deepEqual(keys(await readMetrics(runDir)), ['0:1', '0:2', '0:3', '0:4']);
});

test('effective history drops epochs redone after a resume, across phases', () => {
  const log: MetricsRecord[] = [
    epochRecord(0, 1, 0), epochRecord(0, 2, 0), epochRecord(0, 3, 0), // checkpoint after epoch 2, crash after 3
    resumedEvent('phase-0', 0, 2),
    epochRecord(0, 3, 1), epochRecord(0, 4, 1), epochRecord(1, 1, 1), epochRecord(1, 2, 1),
    resumedEvent('phase-0', 0, 4), // phase 1's checkpoints were lost: back to the end of phase 0
    epochRecord(1, 1, 2),
  ];
  const history = effectiveHistory(log);
  assert.deepEqual(keys(history), ['0:1', '0:2', '0:3', '0:4', '1:1']);
  assert.deepEqual(history.map((r) => r.attempt), [0, 0, 1, 1, 2]);
});

test('simulated crashes and resumes: history has each (phase, epoch) once, from the last attempt', () => {
  const rng = createRng(2024);
  const epochsPerPhase = [8, 12];
  const log: MetricsRecord[] = [];
  const lastLogged = new Map<string, number>();
  let checkpoint = { phaseIndex: 0, epoch: 0 };
  let position = { ...checkpoint };
  let attempt = 0;
  while (position.phaseIndex < epochsPerPhase.length) {
    const epoch = position.epoch + 1;
    log.push(epochRecord(position.phaseIndex, epoch, attempt));
    lastLogged.set(`${position.phaseIndex}:${epoch}`, attempt);
    if (rng() < 0.6) checkpoint = { phaseIndex: position.phaseIndex, epoch };
    position = { phaseIndex: position.phaseIndex, epoch };
    if (rng() < 0.3) {
      attempt++;
      log.push(resumedEvent(`phase-${checkpoint.phaseIndex}`, checkpoint.phaseIndex, checkpoint.epoch));
      position = { ...checkpoint };
    }
    if (position.epoch === epochsPerPhase[position.phaseIndex]) position = { phaseIndex: position.phaseIndex + 1, epoch: 0 };
  }
  assert.ok(attempt > 3, 'the simulation should crash several times');
  const history = effectiveHistory(log);
  const expected = epochsPerPhase.flatMap((count, p) => Array.from({ length: count }, (_, e) => `${p}:${e + 1}`));
  assert.deepEqual(keys(history), expected);
  for (const record of history) assert.equal(record.attempt, lastLogged.get(`${record.phaseIndex}:${record.epoch}`));
});

test("epoch records carry Keras' metric names (val_loss, val_accuracy), as the experiment's monitor and the CLI name them", async (t) => {
  const runDir = await tempDir(t);
  const phase = { runDir, name: 'head', index: 0, epochs: 2 };
  const told: unknown[] = [];
  const listener = { batch: () => undefined, epoch: (m: unknown) => told.push(m) } as never;
  await new MetricsLogCallback(phase, listener, () => undefined).onEpochEnd({ epoch: 1, loss: 0.9, accuracy: 0.6, valLoss: 0.8, valAccuracy: 0.7, learningRate: 0.01, seconds: 2, improved: true });
  const line = JSON.parse((await readFile(join(runDir, 'metrics.jsonl'), 'utf8')).trim());
  assert.equal(line.val_loss, 0.8);
  assert.equal(line.val_accuracy, 0.7);
  assert.ok(!('valLoss' in line) && !('valAccuracy' in line));
});

test('a metrics.jsonl written before the rename (valLoss, valAccuracy) reads with the new names', async (t) => {
  const runDir = await tempDir(t);
  await appendFile(join(runDir, 'metrics.jsonl'), `${JSON.stringify({ type: 'epoch', phase: 'head', phaseIndex: 0, epoch: 1, loss: 0.9, valLoss: 0.8, valAccuracy: 0.7 })}\n`);
  const [record] = await readMetrics(runDir);
  assert.deepEqual([record.val_loss, record.val_accuracy, 'valLoss' in record], [0.8, 0.7, false]);
});
