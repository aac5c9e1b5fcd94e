import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { selectEngine } from '../../../src/engine/backend/select';
import { effectiveHistory, readMetrics, readRunState } from '../../../src/engine/runs';
import { readSafetensors } from '../../../src/engine/text/safetensors';
import { isTextRun, loadTextRunModel, type TextModelCard } from '../../../src/engine/text/textArtifacts';
import { trainTextExperiment } from '../../../src/engine/text/textTrain';
import { evaluateTextRun, predictTexts } from '../../../src/engine/text/textUse';
import type { EvaluationReport } from '../../../src/protocol/host';
import { RecordingListener } from '../training/listener';
import { tempDir, writeKeywordCsv, writeTinyCheckpoint } from './fixtures';

let data: string;
let checkpoint: string;
let cacheDir: string;

before(async () => {
  await selectEngine('wasm');
  data = writeKeywordCsv(240);
  checkpoint = await writeTinyCheckpoint({ seed: 11, config: { hidden_size: 128, intermediate_size: 256 } });
  cacheDir = tempDir('text-cache');
});

async function experimentFile(phases: unknown[], head: Record<string, unknown> = { pooling: 'mean', dropout: 0 }, extra: Record<string, unknown> = {}): Promise<string> {
  const file = join(tempDir('text-exp'), 'reviews.experiment.json');
  await writeFile(file, JSON.stringify({
    name: 'reviews', seed: 3, data: { kind: 'text', root: data, maxLength: 24, split: { val: 0.25, test: 0.1 } },
    base: { model: checkpoint }, head, phases, ...extra,
  }));
  return file;
}

const train = (file: string, listener = new RecordingListener()) => trainTextExperiment({ experimentFile: file, cacheDir, listener }).then((result) => ({ result, listener }));

test('feature extraction then fine-tuning the top encoder layer: learns, writes the image run folder, trains only what is unfrozen', async () => {
  const file = await experimentFile([
    { name: 'head', epochs: 10, batchSize: 16, learningRate: 0.03 },
    { name: 'tune', epochs: 3, batchSize: 16, learningRate: 0.001, trainable: { topBlocks: 1 } },
  ]);
  const { result, listener } = await train(file);
  assert.equal(result.state, 'completed', result.message);
  assert.equal(result.engine.name, 'wasm');
  assert.ok(result.valAccuracy >= 0.9, `val accuracy ${result.valAccuracy} should be far above chance (0.5)`);
  assert.ok(listener.logs.some((l) => l.message.includes('text column "text", label column "label" (from the header)')));
  assert.ok(listener.logs.some((l) => l.message.includes('hidden states entering encoder.layer.1 cached')));
  assert.ok(result.phases[1].trainableParams > result.phases[0].trainableParams * 10);
  for (const phase of ['head', 'tune']) {
    const counts = listener.epochs.filter((e) => e.phase === phase).map((e) => e.numTensors);
    assert.ok(counts.every((n) => n === counts[0]), `${phase}: live tensors stay flat across epochs (${counts})`);
  }

  const epochs = (await readMetrics(result.runDir)).filter((r) => r.type === 'epoch');
  assert.deepEqual(epochs.map((r) => `${r.phase}:${r.epoch}`), [...Array.from({ length: 10 }, (_, i) => `head:${i + 1}`), 'tune:1', 'tune:2', 'tune:3']);
  assert.equal((await readRunState(result.runDir))?.state, 'completed');
  const evaluation = JSON.parse(await readFile(join(result.runDir, 'evaluation.json'), 'utf8')) as { val: EvaluationReport; test: EvaluationReport };
  assert.deepEqual(evaluation.val.classes, ['negative', 'positive']);
  assert.equal(evaluation.val.confusionMatrix.flat().reduce((a, b) => a + b, 0), evaluation.val.count);
  assert.ok(evaluation.test.count > 0 && evaluation.val.samples[0].path.includes('reviews.csv#row'));
  const rows = readFileSync(data, 'utf8').split('\n');
  for (const s of evaluation.val.samples) assert.ok(rows[Number(s.path.split('#row')[1]) - 1].includes(s.text!), `${s.path} carries its own text for the dashboard`);

  // Only encoder.layer.1 was unfrozen: the export stores exactly its weights, changed; everything else is the base's.
  const card = JSON.parse(await readFile(join(result.runDir, 'model', 'text-model.json'), 'utf8')) as TextModelCard;
  assert.ok(card.trainedWeights.length === 16 && card.trainedWeights.every((name) => name.startsWith('encoder.layer.1.')));
  const trained = await readSafetensors(join(result.runDir, 'model', 'encoder-trained.safetensors'), card.trainedWeights);
  const original = await readSafetensors(join(checkpoint, 'model.safetensors'), card.trainedWeights);
  assert.ok(card.trainedWeights.some((name) => trained.get(name)!.data.some((v, i) => v !== original.get(name)!.data[i])), 'the unfrozen layer changed');
  const model = await loadTextRunModel(result.runDir, { cacheDir });
  try {
    const frozen = model.base.model.snapshot(['encoder.layer.0.output.dense.weight', 'embeddings.word_embeddings.weight']);
    const stored = await readSafetensors(join(checkpoint, 'model.safetensors'), frozen.map((f) => f.name));
    for (const { name, data: values } of frozen) assert.deepEqual(values, stored.get(name)!.data, `${name} stayed frozen`);
    const [positive, negative] = await predictTexts(model, ['i really loved this film', 'the plot was terrible'], 2);
    assert.equal(positive.top[0].label, 'positive');
    assert.equal(negative.top[0].label, 'negative');
    assert.ok(Math.abs(positive.top[0].confidence + positive.top[1].confidence - 1) < 1e-5);
  } finally {
    model.dispose();
  }
  const again = await evaluateTextRun(result.runDir, { cacheDir });
  assert.equal(again.accuracy, evaluation.val.accuracy, 'evaluating the exported model reproduces the run\'s own evaluation');
});

test('the same seed gives the same run; the second run reads every feature from the cache', async () => {
  const file = await experimentFile([{ epochs: 3, batchSize: 16, learningRate: 0.01 }], { pooling: 'cls', dropout: 0.2 });
  const first = await train(file);
  const second = await train(file);
  const losses = async (runDir: string) => (await readMetrics(runDir)).filter((r) => r.type === 'epoch').map((r) => [r.loss, r.val_loss]);
  assert.deepEqual(await losses(second.result.runDir), await losses(first.result.runDir));
  const computed = (listener: RecordingListener) => listener.progresses.filter((p) => p.stage === 'features' && p.done === 0).reduce((sum, p) => sum + p.total, 0);
  assert.ok(computed(first.listener) > 100);
  assert.equal(computed(second.listener), 0);
});

test('a cancelled run resumes after its last checkpoint: every epoch once, then a completed run with a model', async () => {
  const file = await experimentFile([{ epochs: 4, batchSize: 16, learningRate: 0.01 }]);
  const controller = new AbortController();
  const listener = new RecordingListener();
  listener.epoch = (metrics) => {
    if (metrics.epoch === 2) controller.abort();
  };
  const stopped = await trainTextExperiment({ experimentFile: file, cacheDir, listener, signal: controller.signal });
  assert.equal(stopped.state, 'cancelled');
  const resumed = await trainTextExperiment({ experimentFile: file, resumeRunDir: stopped.runDir, cacheDir, listener: new RecordingListener() });
  assert.equal(resumed.state, 'completed');
  assert.equal(resumed.runDir, stopped.runDir);
  assert.deepEqual(effectiveHistory(await readMetrics(resumed.runDir)).map((r) => r.epoch), [1, 2, 3, 4]);
  assert.ok(await isTextRun(resumed.runDir));
});

test('class weights reach the text loss; an unknown class is refused by name before a run folder exists', async () => {
  const phases = [{ epochs: 1, batchSize: 16, learningRate: 0.01 }];
  const plain = await train(await experimentFile(phases));
  assert.equal(plain.result.classWeights?.mode, 'none', 'balanced keyword texts get no weights by default');
  const weighted = await train(await experimentFile(phases, undefined, { classWeights: { positive: 3 } }));
  assert.deepEqual(weighted.result.classWeights?.weights, { negative: 1, positive: 3 });
  assert.ok(weighted.listener.logs.some((l) => l.message.startsWith('class weights: from the experiment: negative 1, positive 3')));
  assert.notEqual(weighted.listener.batches[0].loss, plain.listener.batches[0].loss, 'the same first batch has a different (weighted) loss');
  const file = await experimentFile(phases, undefined, { classWeights: { postive: 3 } });
  await assert.rejects(train(file), /unknown class "postive" — the classes are "negative", "positive"/);
  assert.equal(existsSync(join(dirname(file), 'runs')), false, 'nothing is left behind');
});
