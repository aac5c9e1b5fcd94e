import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, rename, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendMetrics, type MetricsRecord } from '../../../src/engine/runs/metricsLog';
import { MetricsTail } from '../../../src/engine/runs/metricsTail';
import { tempDir } from './fixtures/tempDir';

const epoch = (n: number, extra: Record<string, unknown> = {}): MetricsRecord => ({ type: 'epoch', phase: 'head', phaseIndex: 0, epoch: n, loss: 1 / n, ...extra });
const line = (record: MetricsRecord) => `${JSON.stringify(record)}\n`;
const epochsOf = async (tail: MetricsTail) => (await tail.read()).records.map((r) => r.epoch);

test('each read returns only what was appended since the last one; a file not yet written reads empty, then from its start', async (t) => {
  const runDir = await tempDir(t);
  const tail = new MetricsTail(join(runDir, 'metrics.jsonl'));
  assert.deepEqual(await epochsOf(tail), []);
  await appendMetrics(runDir, epoch(1));
  await appendMetrics(runDir, epoch(2));
  assert.deepEqual(await epochsOf(tail), [1, 2]);
  assert.deepEqual(await epochsOf(tail), [], 'nothing new, nothing read twice');
  await appendMetrics(runDir, epoch(3));
  assert.deepEqual(await epochsOf(tail), [3]);
});

test('a line still being written is read once it ends, never half', async (t) => {
  const runDir = await tempDir(t);
  const file = join(runDir, 'metrics.jsonl');
  const tail = new MetricsTail(file);
  await tail.read();
  const whole = line(epoch(1, { note: 'ünïcode splits across writes' }));
  const bytes = Buffer.from(whole);
  const cut = bytes.indexOf(Buffer.from('ï')) + 1; // inside a two-byte character
  await appendFile(file, bytes.subarray(0, cut));
  assert.deepEqual(await epochsOf(tail), []);
  await appendFile(file, bytes.subarray(cut));
  const [record] = (await tail.read()).records;
  assert.equal(record.note, 'ünïcode splits across writes');
});

test('a file cut shorter, or replaced by a new one, is read again from its start', async (t) => {
  const runDir = await tempDir(t);
  const file = join(runDir, 'metrics.jsonl');
  const tail = new MetricsTail(file);
  await tail.read();
  await writeFile(file, line(epoch(1)) + line(epoch(2)));
  assert.deepEqual(await epochsOf(tail), [1, 2]);
  await truncate(file, 0);
  await appendFile(file, line(epoch(7)));
  assert.deepEqual(await epochsOf(tail), [7], 'truncated, then written again');
  const next = join(runDir, 'metrics.next');
  await writeFile(next, line(epoch(9)) + line(epoch(10)) + line(epoch(11)));
  await rename(next, file);
  assert.deepEqual(await epochsOf(tail), [9, 10, 11], 'rotated: a bigger new file is not read from the old offset');
});

test('reads are bounded: a backlog comes in slices of whole lines, and a first look at a long log starts near its end', async (t) => {
  const runDir = await tempDir(t);
  const file = join(runDir, 'metrics.jsonl');
  const records = Array.from({ length: 40 }, (_, i) => epoch(i + 1));
  const max = line(records[0]).length * 5 + 3;
  const tail = new MetricsTail(file, max);
  await tail.read();
  await writeFile(file, records.map(line).join(''));
  const seen: number[] = [];
  for (let reads = 1; ; reads++) {
    const read = await tail.read();
    assert.ok(read.records.length <= 5, 'no more than a slice per read');
    seen.push(...read.records.map((r) => r.epoch));
    if (read.caughtUp) break;
    assert.ok(reads < 40);
  }
  assert.deepEqual(seen, records.map((r) => r.epoch), 'every record once, in order');

  const late = new MetricsTail(file, max);
  const first = await epochsOf(late);
  assert.ok(first.length >= 3 && first.length <= 5, `whole lines of the last slice only: ${first}`);
  assert.deepEqual(first, seen.slice(-first.length), 'the newest records, in order');
});

test('old records read under the new names; a torn line between records is skipped', async (t) => {
  const runDir = await tempDir(t);
  const file = join(runDir, 'metrics.jsonl');
  const tail = new MetricsTail(file);
  await tail.read();
  await writeFile(file, `${line(epoch(1, { valLoss: 0.5 }))}{"type":"epoch","pha\n${line(epoch(2))}`);
  const { records } = await tail.read();
  assert.deepEqual(records.map((r) => [r.epoch, r.val_loss]), [[1, 0.5], [2, undefined]]);
});
