import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { selectEngine } from '../../../src/engine/backend/select';
import { loadBaseModel } from '../../../src/engine/models/load';
import { readLayersModelFiles } from '../../../src/engine/models/layersFiles';
import { effectiveHistory, latestGoodCheckpoint, readMetrics, readRunState, saveCheckpoint } from '../../../src/engine/runs';
import { trainExperiment } from '../../../src/engine/training/train';
import { predictRun } from '../../../src/engine/training/runModel';
import { runHeatmaps } from '../../../src/engine/explain/heatmaps';
import { writeExperiment } from '../fixtures/experiments';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { assertExportedWeights } from './exportedWeights';
import { RecordingListener } from './listener';

let data: string;
let cacheDir: string;

before(async () => {
  await selectEngine('wasm');
  data = await writeSyntheticDataset(12);
  cacheDir = await mkdtemp(join(tmpdir(), 'tl-cache-'));
});

function experimentFile(overrides: Record<string, unknown> = {}): Promise<string> {
  return writeExperiment(data, overrides);
}

async function train(file: string, listener = new RecordingListener(), signal?: AbortSignal) {
  const result = await trainExperiment({ experimentFile: file, cacheDir, listener, signal });
  return { result, listener };
}

test('feature extraction then fine-tuning: learns, trains only the unfrozen layers, keeps BatchNorm statistics', async () => {
  const file = await experimentFile({
    phases: [
      { name: 'head', epochs: 4, batchSize: 8, learningRate: 0.01 },
      { name: 'tune', epochs: 2, batchSize: 8, learningRate: 0.001, trainable: { topBlocks: 2 } },
    ],
  });
  const { result, listener } = await train(file);
  assert.equal(result.state, 'completed');
  assert.equal(result.engine.name, 'wasm');
  assert.ok(result.valAccuracy >= 0.8, `val accuracy ${result.valAccuracy} should be far above chance (0.33)`);
  assert.deepEqual(result.phases.map((p) => p.name), ['head', 'tune']);
  assert.ok(result.phases[1].trainableParams > result.phases[0].trainableParams * 10);
  assert.ok(listener.logs.some((l) => l.message.includes('block_15_add cached')), 'fine-tuning reads cached activations below block_16');

  const exported = await tf.loadLayersModel(tf.io.fromMemory(await readLayersModelFiles(join(result.runDir, 'model', 'model.json'))));
  const { model: fresh } = await loadBaseModel('nsfwjs_mobilenet_v2', { inputSize: 64, cacheDir });
  const same = (layer: string, i: number) => {
    const a = exported.getLayer(layer).getWeights()[i].dataSync(), b = fresh.getLayer(layer).getWeights()[i].dataSync();
    return a.every((v, k) => v === b[k]);
  };
  assert.ok(same('Conv1', 0), 'a frozen layer is bit-identical to the pre-trained one');
  assert.ok(same('block_15_project', 0), 'the layer just below the unfrozen blocks stays frozen');
  assert.ok(!same('Conv_1', 0), 'an unfrozen conv layer changed');
  assert.ok(same('Conv_1_bn', 2) && same('Conv_1_bn', 3), 'BatchNorm moving statistics are untouched (inference mode)');
  fresh.dispose();
  exported.dispose();

  const evaluation = JSON.parse(await readFile(join(result.runDir, 'evaluation.json'), 'utf8'));
  assert.equal(evaluation.val.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0), evaluation.val.count);
  assert.equal(evaluation.val.samples.length, evaluation.val.count);
  const predictions = await predictRun(result.runDir, [join(data, 'red-stripes')]);
  assert.equal(predictions.length, 12);
  assert.ok(predictions.filter((p) => p.top?.[0].label === 'red-stripes').length >= 10);
  // a fine-tuned run's model explains itself as a feature-extraction run's does: at the base's last spatial layer
  const heatmaps = await runHeatmaps(result.runDir, [join(data, 'red-stripes', '0.jpg')]);
  assert.deepEqual([heatmaps.method, heatmaps.layer, heatmaps.heatmaps[0].values?.length], ['cam', 'out_relu', 4]);
});

test('same seed, same run: split, shuffle and first-epoch loss repeat, and the rerun reads every activation from the cache', async () => {
  const file = await experimentFile();
  const first = await train(file);
  const second = await train(file);
  assert.ok(first.listener.computedImages() <= 36);
  assert.equal(second.listener.computedImages(), 0, 'unchanged base, data and preprocessing: nothing recomputed');
  assert.equal(second.listener.epochs[0].loss, first.listener.epochs[0].loss);
  assert.deepEqual(second.listener.batches.slice(0, 5).map((b) => b.loss), first.listener.batches.slice(0, 5).map((b) => b.loss));
  const samples = async (runDir: string) => JSON.parse(await readFile(join(runDir, 'evaluation.json'), 'utf8')).val.samples.map((s: { path: string }) => s.path).sort();
  assert.deepEqual(await samples(second.result.runDir), await samples(first.result.runDir));
  assert.notEqual(second.result.runDir, first.result.runDir, 'a rerun never overwrites a run');

  const other = await train(await experimentFile({ seed: 8 }));
  assert.notEqual(other.listener.epochs[0].loss, first.listener.epochs[0].loss);
});

test('resume puts back exactly the last checkpoint\'s weights, even when the crash came after the final checkpoint', async () => {
  const file = await experimentFile({ phases: [{ name: 'head', epochs: 2, batchSize: 8, learningRate: 0.01 }] });
  const { result: first } = await train(file);
  // a crash after the final checkpoint, before evaluation and export; the checkpoint's weights are made recognisable
  await rm(join(first.runDir, 'model'), { recursive: true });
  await rm(join(first.runDir, 'evaluation.json'));
  const last = (await latestGoodCheckpoint(first.runDir, assert.fail))!;
  const marked = last.tensors.map((t) => ({ ...t, data: t.data.map((v, i) => v + 0.25 + i * 1e-3) }));
  await saveCheckpoint(first.runDir, last.manifest.tag, marked, last.manifest);

  const listener = new RecordingListener();
  const resumed = await trainExperiment({ experimentFile: file, resumeRunDir: first.runDir, cacheDir, listener });
  assert.equal(resumed.state, 'completed');
  assert.equal(listener.epochs.length, 0, 'every epoch was already done');
  await assertExportedWeights(first.runDir, marked, "the checkpoint's");
  assert.ok(JSON.parse(await readFile(join(first.runDir, 'evaluation.json'), 'utf8')).val.count > 0);
});

test('no tensor leaks: the tensor count is flat across epochs and back to its start after a run', async () => {
  const before = tf.memory().numTensors;
  const { listener } = await train(await experimentFile({ phases: [{ epochs: 6, batchSize: 8, learningRate: 0.01 }] }));
  const counts = listener.epochs.map((e) => e.numTensors);
  assert.ok(counts.slice(1).every((n) => n === counts[1]), `tensor counts per epoch: ${counts}`);
  assert.equal(tf.memory().numTensors, before);
});

test('a diverging run stops as "diverged", names the batch and keeps the last good checkpoint', async () => {
  const file = await experimentFile({
    // MobileNetV2's features pass a ReLU6, so only an absurd rate overflows float32 weights (a smaller one just diverges slowly).
    phases: [{ epochs: 1, batchSize: 8, learningRate: 0.01 }, { name: 'absurd', epochs: 3, batchSize: 8, optimizer: 'sgd', learningRate: 1e38 }],
  });
  const { result } = await train(file);
  assert.equal(result.state, 'diverged');
  assert.match(result.message ?? '', /loss became (NaN|Infinity|-Infinity) at phase "absurd", epoch 1, batch \d+; the last good checkpoint is kept/);
  const state = await readRunState(result.runDir);
  assert.equal(state?.state, 'diverged');
  const checkpoint = await latestGoodCheckpoint(result.runDir, () => assert.fail('no checkpoint may be corrupt'));
  assert.ok(checkpoint, 'the epoch before the divergence is still there');
  assert.deepEqual([checkpoint.manifest.phaseIndex, checkpoint.manifest.epoch], [0, 1], 'the kept checkpoint is the last epoch before the divergence');
  assert.deepEqual((await readdir(join(result.runDir, 'checkpoints'))).filter((name) => name.startsWith('epoch-1-')), [], 'the diverged phase saved nothing');
  assert.ok(checkpoint.tensors.every((t) => t.data.every(Number.isFinite)), 'the kept checkpoint holds finite weights');
});

test('cancelling stops within one batch and keeps the partial run as "cancelled"', async () => {
  const controller = new AbortController();
  const listener = new RecordingListener();
  listener.onBatch = () => controller.abort();
  const { result } = await train(await experimentFile({ phases: [{ epochs: 5, batchSize: 4, learningRate: 0.01 }] }), listener, controller.signal);
  assert.equal(result.state, 'cancelled');
  assert.equal(listener.batches.length, 1, 'no batch runs after the stop');
  assert.equal((await readRunState(result.runDir))?.state, 'cancelled');
  assert.equal(effectiveHistory(await readMetrics(result.runDir)).length, 0);
  assert.ok((await readMetrics(result.runDir)).some((r) => r.type === 'batch'), 'what ran is logged');
});

test('augmentation with views: 0 runs the base live on training images only; validation still comes from the cache', async () => {
  const { result, listener } = await train(await experimentFile({ data: { root: data, inputSize: 64, split: { val: 0.25 }, augmentation: { flip: true, zoom: 0.1, views: 0 } } }));
  assert.equal(result.state, 'completed');
  assert.ok(listener.logs.some((l) => l.message.includes('computed live for augmented training images, cached for evaluation')));
  const computed = listener.progresses.filter((p) => p.stage === 'features' && p.done === 0).map((p) => p.total);
  assert.ok(computed.every((n) => n <= 9), `only validation images go through the cache (${computed})`);
  assert.ok(result.valAccuracy >= 0.8);
});

test('augmentation views: K augmented copies of each training image are computed once and cached; a rerun and a new head compute nothing', async () => {
  const augmentation = { flip: true, zoom: 0.1, brightness: 0.1, views: 3 };
  const file = await experimentFile({ seed: 11, data: { root: data, inputSize: 64, split: { val: 0.25 }, augmentation } });
  const first = await train(file);
  assert.equal(first.result.state, 'completed');
  assert.ok(first.listener.logs.some((l) => l.message.includes('cached for 3 augmented views of each training image')), first.listener.logs.map((l) => l.message).join('\n'));
  const perView = first.listener.progresses.filter((p) => p.stage === 'features' && p.done === 0 && /view \d\/3/.test(p.message ?? '')).map((p) => p.total);
  assert.deepEqual(perView, [27, 27, 27], 'each of the 27 training images is computed once per view');
  assert.ok(first.result.valAccuracy >= 0.8);

  const rerun = await train(file);
  assert.equal(rerun.listener.computedImages(), 0, 'a rerun reads every view from the cache');
  assert.deepEqual(rerun.listener.epochs.map((e) => e.loss), first.listener.epochs.map((e) => e.loss), 'same seed, same views drawn, same run');

  const newHead = await train(await experimentFile({ seed: 11, data: { root: data, inputSize: 64, split: { val: 0.25 }, augmentation }, head: { hiddenUnits: 16 } }));
  assert.equal(newHead.listener.computedImages(), 0, 'a new head reuses the cached views');
});

test('augmentation views while fine-tuning cache the frozen prefix of every view', async () => {
  const file = await experimentFile({
    seed: 12, data: { root: data, inputSize: 64, split: { val: 0.25 }, augmentation: { flip: true, views: 2 } },
    phases: [{ name: 'tune', epochs: 1, batchSize: 8, learningRate: 0.001, trainable: { topBlocks: 1 } }],
  });
  const first = await train(file);
  assert.equal(first.result.state, 'completed');
  assert.ok(first.listener.logs.some((l) => /block_16_project_BN cached for 2 augmented views/.test(l.message)), first.listener.logs.map((l) => l.message).join('\n'));
  const rerun = await train(file);
  assert.equal(rerun.listener.computedImages(), 0);
});

test('imbalanced classes train "balanced" by default and the run says so; an unknown class in classWeights is refused before a run folder exists', async () => {
  const uneven = await writeSyntheticDataset(12, { classes: 2, seed: 5 });
  for (let n = 0; n < 8; n++) await rm(join(uneven, 'green-dots', `${n}.${n % 2 ? 'png' : 'jpg'}`));
  const file = await writeExperiment(uneven, { phases: [{ epochs: 1, batchSize: 8, learningRate: 0.01 }] });
  const { result, listener } = await train(file);
  assert.equal(result.classWeights?.mode, 'balanced');
  assert.ok(listener.logs.some((l) => /^class weights: balanced: .*by default, as imbalanced classes: "red-stripes" has 9 examples, 3\.0× the 3 of "green-dots"/.test(l.message)), listener.logs.map((l) => l.message).join('\n'));
  const refused = await writeExperiment(uneven, { classWeights: { 'blue-plain': 2 } });
  await assert.rejects(train(refused), /unknown class "blue-plain" — the classes are "green-dots", "red-stripes"/);
  assert.equal(existsSync(join(dirname(refused), 'runs')), false, 'nothing is left behind');
});
