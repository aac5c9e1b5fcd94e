// Reading a run folder for the dashboard: hostile or broken files give a valid snapshot (or none of the bad part),
// resumed runs show each batch once, and images are offered only from the run's dataset folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCompareRun } from '../../../src/extension/webviews/compare/compareRead';
import { datasetRoots, effectiveBatches, insideRoots, readRunSnapshot } from '../../../src/extension/webviews/dashboard/runFolderSnapshot';
import { isEventForRun, runEventMessage } from '../../../src/extension/webviews/dashboard/runEvents';
import type { MetricsRecord } from '../../../src/engine/runs';
import { compareRun, parse, runSnapshot, toDashboardWebview } from '../../../src/protocol/webview';
import { preprocessingFact } from '../../../src/shared/format';

const INJECTION = '"><img src=x onerror=alert(1)>';
const b = (phaseIndex: number, epoch: number, batch: number, loss: number | null = 1): MetricsRecord => ({ type: 'batch', phase: 'p', phaseIndex, epoch, batch, batches: 2, loss, accuracy: 0.5, learningRate: 1e-3, imagesPerSecond: 100 });
const e = (phaseIndex: number, epoch: number, loss = 1): MetricsRecord => ({ type: 'epoch', phase: 'p', phaseIndex, epoch, loss, accuracy: 0.5, valLoss: loss, valAccuracy: 0.5, learningRate: 1e-3, seconds: 1, epochs: 3, improved: true });

function runFolder(evaluation: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'tl-run-'));
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ state: 'completed', startedAt: '2026-11-28T10:00:00Z', updatedAt: '2026-11-28T10:01:00Z', engine: 'wasm (XNNPACK); more', pid: 1 }));
  writeFileSync(join(dir, 'experiment.json'), JSON.stringify({
    name: INJECTION, data: { root: '/data/flowers', val: 'relative/val' }, base: { model: 'mobilenet_v2' },
    phases: [{ name: 'feature-extraction', epochs: 2, batchSize: 32, optimizer: 'adam', learningRate: 1e-3, trainable: { none: true } }, { epochs: 1, batchSize: 32, optimizer: 'adam', learningRate: 1e-4, trainable: { bogus: 1 } }],
  }));
  const records = [b(0, 1, 1), b(0, 1, 2), e(0, 1), b(0, 2, 1, 5), b(0, 2, 2, 5), e(0, 2, 5), { type: 'event', event: 'resumed', phase: 'p', phaseIndex: 0, epoch: 1 }, b(0, 2, 1, 2), b(0, 2, 2, null), e(0, 2, 2)];
  writeFileSync(join(dir, 'metrics.jsonl'), `${records.map((r) => JSON.stringify(r)).join('\n')}\n{"type":"batch","pha`);
  writeFileSync(join(dir, 'evaluation.json'), JSON.stringify(evaluation));
  return dir;
}

const split = (classes: string[], matrix: number[][]) => ({
  split: 'val', classes, count: 3, accuracy: 2 / 3, loss: 0.4, confusionMatrix: matrix, skipped: [{ path: '/x', reason: 'bad' }],
  perClass: classes.map((name) => ({ name, precision: 1, recall: null, f1: 0.5, support: 1 })), macro: { precision: 1, recall: 1, f1: 1 },
  samples: [{ path: '/data/flowers/val/a/1.jpg', label: 0, predicted: 0, confidence: 0.9 }, { path: '/etc/passwd', label: 1, predicted: 0, confidence: 0.8 }, { path: '/data/flowers/../secret.jpg', label: 1, predicted: 1, confidence: 0.7 }],
});

test('a run folder becomes a valid snapshot: resumed batches once, torn line skipped, NaN as null, images only inside the dataset', async () => {
  const dir = runFolder({ val: split([INJECTION, 'dog'], [[1, 0], [1, 1]]) });
  const inside = (p: string) => (insideRoots(['/data/flowers'], p) ? `vscode-resource:${p}` : undefined);
  const snapshot = await readRunSnapshot(dir, inside);
  assert.ok(parse(runSnapshot, snapshot, (r) => assert.fail(r)));
  assert.deepEqual(snapshot.batches.map((p) => [p.epoch, p.batch, p.loss]), [[1, 1, 1], [1, 2, 1], [2, 1, 2], [2, 2, null]]);
  assert.deepEqual(snapshot.epochs.map((p) => [p.epoch, p.loss]), [[1, 1], [2, 2]]);
  assert.equal(snapshot.header.experiment, INJECTION, 'names travel as data; the webview renders them as text');
  assert.deepEqual(snapshot.header.phases.map((p) => p.name), ['feature-extraction'], 'a phase with an invalid trainable spec is left out');
  assert.deepEqual(snapshot.evaluation!.val.samples.map((s) => s.image), ['vscode-resource:/data/flowers/val/a/1.jpg', undefined, undefined]);
  assert.equal(snapshot.state.engine, 'wasm (XNNPACK); more');
  assert.equal(snapshot.restoreKey, dir);
});

test('a text run: the header says so, and each evaluated text travels with its sample (a CSV row has no picture)', async () => {
  const dir = runFolder({ val: { ...split(['ham', 'spam'], [[1, 0], [1, 1]]), samples: [
    { path: '/data/sms.csv#row2', label: 0, predicted: 0, confidence: 0.9, text: 'see you at lunch' },
    { path: '/data/sms.csv#row3', label: 1, predicted: 0, confidence: 0.8, text: 'x'.repeat(5000) },
    { path: '/data/sms.csv#row4', label: 1, predicted: 1, confidence: 0.7 },
  ] } });
  writeFileSync(join(dir, 'experiment.json'), JSON.stringify({ name: 'sms', data: { kind: 'text', root: '/data/sms.csv' }, base: { model: 'google/bert_uncased_L-2_H-128_A-2' }, phases: [] }));
  const snapshot = await readRunSnapshot(dir, () => undefined);
  assert.ok(parse(runSnapshot, snapshot, (r) => assert.fail(r)));
  assert.equal(snapshot.header.kind, 'text');
  assert.deepEqual(snapshot.evaluation!.val.samples.map((s) => s.text?.length), [16, 2000, undefined], 'texts are capped at the protocol limit');
  assert.equal((await readRunSnapshot(runFolder({ val: split(['a', 'b'], [[1, 0], [1, 1]]) }), () => undefined)).header.kind, 'image');
});

test('an evaluation that does not add up is dropped, the rest of the run still shows', async () => {
  const snapshot = await readRunSnapshot(runFolder({ val: split(['cat', 'dog'], [[1, 0, 0], [1, 1]]) }), () => undefined);
  assert.equal(snapshot.evaluation, undefined);
  assert.equal(snapshot.epochs.length, 2);
  const missing = await readRunSnapshot(mkdtempSync(join(tmpdir(), 'tl-empty-')), () => undefined);
  assert.ok(parse(runSnapshot, missing));
  assert.equal(missing.state.state, 'running');
});

test('images only from inside the dataset roots: no escape by .., no sibling prefix, not the root itself', () => {
  assert.ok(insideRoots(['/data/flowers'], '/data/flowers/val/a.jpg'));
  assert.ok(insideRoots(['/x', '/data/flowers/'], '/data/flowers/a.jpg'));
  for (const path of ['/data/flowers/../secret.jpg', '/data/flowers-private/a.jpg', '/data/flowers', '/etc/passwd', 'relative.jpg']) assert.ok(!insideRoots(['/data/flowers'], path), path);
  assert.ok(!insideRoots([], '/data/flowers/a.jpg'));
});

test('dataset roots: only absolute folders from the run\'s experiment', () => {
  assert.deepEqual(datasetRoots({ data: { root: '/a', train: 'rel', val: '/v', test: 3 } }), ['/a', '/v']);
  assert.deepEqual(datasetRoots(undefined), []);
});

test('huge batch logs are thinned evenly, keeping the last batch', () => {
  const records = Array.from({ length: 1000 }, (_, i) => b(0, 1 + Math.floor(i / 2), 1 + (i % 2)));
  const thinned = effectiveBatches(records, 100);
  assert.ok(thinned.length <= 101);
  assert.deepEqual(thinned.at(-1), effectiveBatches(records).at(-1));
});

test('compare rows read curves and headline numbers', async () => {
  const run = await readCompareRun(runFolder({ val: split(['cat', 'dog'], [[1, 0], [1, 1]]), test: { ...split(['cat', 'dog'], [[1, 0], [0, 1]]), split: 'test', accuracy: 1 } }));
  assert.ok(parse(compareRun, run, (r) => assert.fail(r)));
  assert.deepEqual(run.evaluation, { valAccuracy: 2 / 3, macroF1: 1, testAccuracy: 1 });
});

test('live events become dashboard messages for their run only', () => {
  const data = { runDir: '/w/runs/a', phase: 'fine-tune', phaseIndex: 1, epoch: 2, batch: 3, batches: 9, loss: Number.NaN, accuracy: 0.5, learningRate: 1e-4, imagesPerSecond: 50 };
  const message = runEventMessage({ kind: 'batch', data });
  assert.deepEqual(message, { type: 'run/batch', point: { phaseIndex: 1, epoch: 2, batch: 3, batches: 9, loss: null, accuracy: 0.5, learningRate: 1e-4, imagesPerSecond: 50 } });
  assert.ok(parse(toDashboardWebview, message));
  const state = runEventMessage({ kind: 'state', data: { runDir: '/w/runs/a/', state: 'running', engine: { name: 'wasm', backend: 'wasm', detail: 'wasm (XNNPACK)' } } });
  assert.deepEqual(state, { type: 'run/state', state: { state: 'running', engine: 'wasm (XNNPACK)' } });
  assert.ok(isEventForRun({ kind: 'batch', data }, '/w/runs/a/'));
  assert.ok(!isEventForRun({ kind: 'batch', data }, '/w/runs/ab'));
});

test('the pixel range a run fed its base reaches the dashboard header from state.json and live events, a guess marked', async () => {
  const guess = 'scale-minus1-1 — the model does not say … This is a guess: if accuracy is poor, set "base": { "preprocessing": … }';
  const dir = runFolder({ val: split(['cat', 'dog'], [[1, 0], [1, 1]]) });
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ state: 'running', startedAt: '2026-11-28T10:00:00Z', updatedAt: '2026-11-28T10:01:00Z', preprocessing: guess }));
  const snapshot = await readRunSnapshot(dir, () => undefined);
  assert.equal(snapshot.state.preprocessing, guess);
  const live = runEventMessage({ kind: 'state', data: { runDir: '/w/runs/a', state: 'running', preprocessing: 'scale-0-1 — the batch-norm statistics …' } });
  assert.deepEqual(live, { type: 'run/state', state: { state: 'running', preprocessing: 'scale-0-1 — the batch-norm statistics …' } });
  assert.deepEqual(preprocessingFact(guess), { value: 'scale-minus1-1 (a guess)', title: guess });
  assert.deepEqual(preprocessingFact('scale-0-1 — the batch-norm statistics …').value, 'scale-0-1');
});
