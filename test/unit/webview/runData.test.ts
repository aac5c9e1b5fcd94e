// Dashboard data: ordered upserts (replays, resumes), the continuous epoch axis across phases, live merges, ETA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BatchPoint, EpochPoint, RunSnapshot } from '../../../src/protocol/webview';
import { formatExamples, modelName } from '../../../src/shared/format';
import { median } from '../../../webview/shared/stats';
import { runProgress } from '../../../webview/dashboard/progress';
import { RunStore } from '../../../webview/dashboard/runStore';
import { bestRuns, compareRow } from '../../../webview/compare/compareRows';
import { experimentDifferences } from '../../../webview/compare/differences';
import { phaseEndingText } from '../../../src/shared/format';
import { buildCurves, phaseOffsets, upsertInOrder } from '../../../webview/shared/series';
import { dashboardMessages } from './messages';

const epoch = (phaseIndex: number, e: number, loss = 1): EpochPoint => ({ phaseIndex, epoch: e, loss, accuracy: 0.5, valLoss: loss + 0.1, valAccuracy: 0.4, learningRate: 1e-3, seconds: 10 });
const batch = (phaseIndex: number, e: number, b: number, batches = 4): BatchPoint => ({ phaseIndex, epoch: e, batch: b, batches, loss: 1, accuracy: 0.5, learningRate: 1e-3, imagesPerSecond: 320 });

test('upsert: appends in order, replaces repeats, inserts late arrivals, keeps resumed redo', () => {
  const list: BatchPoint[] = [];
  for (const b of [1, 2, 3]) upsertInOrder(list, batch(0, 1, b));
  upsertInOrder(list, { ...batch(0, 1, 2), loss: 9 }); // replayed after a snapshot: replaces, no duplicate
  upsertInOrder(list, batch(0, 1, 0));
  upsertInOrder(list, batch(1, 1, 1));
  upsertInOrder(list, batch(0, 2, 1)); // late: goes before phase 1
  assert.deepEqual(list.map((p) => `${p.phaseIndex}/${p.epoch}/${p.batch}`), ['0/1/0', '0/1/1', '0/1/2', '0/1/3', '0/2/1', '1/1/1']);
  assert.equal(list[2].loss, 9);
});

test('phase offsets: planned epochs until later phases start, then what a phase really ran (early stopping)', () => {
  const planned = [{ epochs: 10 }, { epochs: 5 }];
  assert.deepEqual(phaseOffsets(planned, [epoch(0, 1), epoch(0, 2)]), [0, 10]);
  assert.deepEqual(phaseOffsets(planned, [epoch(0, 1), epoch(0, 6), epoch(1, 1)]), [0, 6], 'stopped early after 6 epochs');
  assert.deepEqual(phaseOffsets(planned, [], [batch(0, 12, 1)]), [0, 12], 'more epochs than planned (resumed with a longer plan)');
});

test('curves: epochs at their end, batches within them, the fine-tuning marker, the run end, gaps for NaN', () => {
  const phases = [{ name: 'feature-extraction', epochs: 2 }, { name: 'fine-tune', epochs: 3 }];
  const c = buildCurves(phases, [epoch(0, 1), epoch(0, 2), { ...epoch(1, 1), valLoss: null }], [batch(0, 1, 2), batch(1, 1, 4)]);
  assert.deepEqual(c.trainLoss.map((p) => p.x), [1, 2, 3]);
  assert.deepEqual(c.valLoss.map((p) => p.x), [1, 2], 'a null (NaN) value is left out');
  assert.deepEqual(c.batchLoss.map((p) => p.x), [0.5, 3]);
  assert.deepEqual(c.boundaries, [{ x: 2, label: 'fine-tune begins' }]);
  assert.equal(c.end, 5);
  assert.deepEqual(buildCurves(phases, [epoch(0, 1)], []).boundaries, [], 'no marker before fine-tuning starts');
});

test('store: snapshot, then live points; live states keep the start time and engine; nothing before a snapshot', () => {
  const store = new RunStore();
  assert.equal(store.apply({ type: 'run/batch', point: batch(0, 1, 1) }), 'none');
  assert.equal(store.apply(structuredClone(dashboardMessages[0])), 'all');
  assert.equal(store.apply({ type: 'run/epoch', point: epoch(0, 2) }), 'metrics');
  assert.equal(store.run!.epochs.length, 2);
  assert.equal(store.apply({ type: 'run/state', state: { state: 'diverged', message: 'loss became NaN' } }), 'state');
  assert.deepEqual(store.run!.state, { startedAt: '2026-11-28T15:55:58.550Z', updatedAt: '2026-11-28T15:56:41.376Z', engine: 'wasm', state: 'diverged', message: 'loss became NaN' });
});

function running(batches: BatchPoint[], epochs: EpochPoint[], startedSecondsAgo: number, now: number): RunSnapshot {
  const phases = [{ name: 'feature-extraction', epochs: 4, batchSize: 32, learningRate: 1e-3, trainable: { none: true as const } }, { name: 'fine-tune', epochs: 2, batchSize: 32, learningRate: 1e-4, trainable: { topBlocks: 2 } }];
  return {
    restoreKey: '/r', header: { run: 'r', experiment: 'e', kind: 'image' as const, baseModel: 'm', dataset: '/d', phases }, epochs, batches,
    state: { state: 'running', startedAt: new Date(now - startedSecondsAgo * 1000).toISOString() },
  };
}

test('progress: elapsed, throughput, and the current phase\'s ETA from its epoch times (or images/s before one ends)', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  const mid = runProgress(running([batch(0, 1, 4), batch(0, 2, 1)], [epoch(0, 1)], 30, now), now);
  assert.equal(mid.elapsedSeconds, 30);
  assert.equal(mid.imagesPerSecond, 320);
  // 3 batches left in epoch 2 + 2 more epochs × 4 batches, at 10 s / 4 batches
  assert.equal(mid.phaseEtaSeconds, (3 + 8) * 2.5);
  assert.equal(mid.laterPhases, 1);
  const first = runProgress(running([batch(1, 1, 1)], [epoch(0, 1)], 30, now), now);
  assert.equal(first.phaseEtaSeconds, (3 + 4) * (32 / 320), 'no epoch of this phase yet: batch size / images per second');
  const done = runProgress({ ...running([batch(0, 1, 4)], [epoch(0, 1)], 30, now), state: { state: 'completed', startedAt: '2026-11-28T11:00:00Z', updatedAt: '2026-11-28T11:01:40Z' } }, now);
  assert.equal(done.elapsedSeconds, 100, 'a finished run counts to its last update, not to now');
  assert.equal(done.phaseEtaSeconds, undefined);
});

test('median of paint latencies (the benchmark hook\'s number)', () => {
  assert.equal(median([]), Number.NaN);
  assert.equal(median([30]), 30);
  assert.equal(median([40, 10, 30]), 30);
  assert.equal(median([40, 10, 30, 20]), 25);
});

test('compare rows: headline numbers, base model and engine per run, every tied best marked', () => {
  const base = running([], [epoch(0, 1, 1), { ...epoch(0, 2, 0.5), valAccuracy: 0.8 }], 0, Date.parse('2026-11-28T12:00:00Z'));
  const run = (id: string, valAccuracy: number) => ({ id, header: base.header, epochs: [{ ...epoch(0, 1), valAccuracy }], state: { state: 'completed' as const, engine: 'wasm (XNNPACK); training gradients: transfer-lab', startedAt: '2026-11-28T10:00:00Z', updatedAt: '2026-11-28T10:02:00Z' }, evaluation: { valAccuracy, macroF1: 0.5 } });
  const rows = [run('a', 0.7), run('b', 0.9), run('c', 0.9)].map(compareRow);
  assert.deepEqual(rows[0], { id: 'a', state: 'completed', baseModel: base.header.baseModel, engine: 'wasm', engineDetail: 'wasm (XNNPACK)', epochs: 1, bestValAccuracy: 0.7, finalValLoss: 1.1, testAccuracy: null, macroF1: 0.5, seconds: 120 });
  assert.deepEqual([...bestRuns(rows, (r) => r.bestValAccuracy)], [1, 2]);
  assert.deepEqual([...bestRuns(rows, (r) => r.finalValLoss, true)], [0, 1, 2]);
  assert.deepEqual([...bestRuns(rows, (r) => r.testAccuracy)], []);
  assert.deepEqual(compareRow({ ...run('d', 0.5), header: { ...base.header, baseModel: '' }, state: { state: 'running' } }), { ...compareRow(run('d', 0.5)), state: 'running', baseModel: '—', engine: '—', engineDetail: '', seconds: Number.NaN }, 'unknown base or engine shows as a dash');
});

test('header names: a model folder or file by its name, catalog and hub ids whole; counts of images or texts', () => {
  assert.equal(modelName('/ws/models/tiny-bert'), 'tiny-bert');
  assert.equal(modelName('C:\\ws\\models\\model.json'), 'model.json');
  assert.equal(modelName('google/bert_uncased_L-2_H-128_A-2'), 'google/bert_uncased_L-2_H-128_A-2');
  assert.equal(modelName('mobilenet_v2'), 'mobilenet_v2');
  assert.deepEqual([formatExamples(1, 'text'), formatExamples(8, 'text'), formatExamples(0, 'image')], ['1 text', '8 texts', '0 images']);
});

test('early stopping on the charts: a marker at each restored best epoch, and a finished run\'s axis ends where it stopped, not at the plan', () => {
  const phases = [{ name: 'feature-extraction', epochs: 10 }, { name: 'fine-tune', epochs: 40 }];
  const epochs = [epoch(0, 1), epoch(0, 2), epoch(0, 3), epoch(1, 1), epoch(1, 2), epoch(1, 3), epoch(1, 4), epoch(1, 5)];
  const endings = [{ phaseIndex: 0, epoch: 3, plannedEpochs: 10, stoppedEarly: true, restoredEpoch: 1 }, { phaseIndex: 1, epoch: 5, plannedEpochs: 40, stoppedEarly: true, restoredEpoch: 2 }];
  const live = buildCurves(phases, epochs, [], { endings });
  assert.equal(live.end, 43, 'while it trains the axis spans the plan');
  const ended = buildCurves(phases, epochs, [], { ended: true, endings });
  assert.equal(ended.end, 8, 'stopped at 5 of 40: the axis ends at the last epoch run');
  assert.deepEqual(ended.boundaries, [{ x: 3, label: 'fine-tune begins' }, { x: 1, label: 'best epoch 1 restored' }, { x: 5, label: 'best epoch 2 restored' }]);
  assert.equal(phaseEndingText(endings[1]), 'stopped early at 5/40, restored best epoch 2');
  assert.equal(phaseEndingText({ epoch: 40, plannedEpochs: 40, stoppedEarly: false, restoredEpoch: 31 }), 'ran 40/40 epochs, restored best epoch 31');
});

test('compare: the experiment settings that differ between runs, one row each ("top 2 vs 4 blocks"), none when they agree', () => {
  const header = (topBlocks: number, epochs: number) => ({ run: 'r', experiment: 'e', kind: 'image' as const, baseModel: 'mobilenet_v2', dataset: '/d/flowers', phases: [
    { name: 'feature-extraction', epochs: 10, batchSize: 32, learningRate: 1e-3, trainable: { none: true as const } },
    { name: 'fine-tune', epochs, batchSize: 32, learningRate: 1e-4, trainable: { topBlocks } }] });
  const run = (id: string, topBlocks: number, epochs: number) => ({ id, header: header(topBlocks, epochs), epochs: [], state: { state: 'completed' as const } });
  assert.deepEqual(experimentDifferences([run('a', 2, 5), run('b', 4, 5), run('c', 4, 8)]), [
    { setting: 'phase 2: epochs', values: ['5', '5', '8'] },
    { setting: 'phase 2: trains', values: ['top 2 blocks unfrozen', 'top 4 blocks unfrozen', 'top 4 blocks unfrozen'] },
  ]);
  assert.deepEqual(experimentDifferences([run('a', 2, 5), run('b', 2, 5)]), []);
});
