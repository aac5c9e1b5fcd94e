import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectEngine } from '../../../src/engine/backend/select';
import { EXPORT_MARKER } from '../../../src/shared/runLayout';
import { exportRun } from '../../../src/engine/export/exportRun';
import { hfMismatch } from '../../../src/engine/export/hfExport';
import { loadBertBase } from '../../../src/engine/text/bertBase';
import { readSafetensors, readSafetensorsHeader } from '../../../src/engine/text/safetensors';
import { loadTextRunModel } from '../../../src/engine/text/textArtifacts';
import { trainTextExperiment } from '../../../src/engine/text/textTrain';
import { predictTexts } from '../../../src/engine/text/textUse';
import { RecordingListener } from '../training/listener';
import { tempDir, writeKeywordCsv, writeTinyCheckpoint } from './fixtures';

const TEXTS = ['i really loved this film', 'the plot was terrible', 'a movie', 'win a prize now call'];
let runDir: string;
let cacheDir: string;
let checkpoint: string;

/** A completed text run on a tiny random BERT: head then one fine-tuned encoder layer. */
async function trainRun(head: Record<string, unknown>): Promise<string> {
  const file = join(tempDir('hf-exp'), 'reviews.experiment.json');
  await writeFile(file, JSON.stringify({
    name: 'reviews', seed: 3, data: { kind: 'text', root: writeKeywordCsv(120), maxLength: 16, split: { val: 0.25 } },
    base: { model: checkpoint }, head,
    phases: [
      { name: 'head', epochs: 3, batchSize: 16, learningRate: 0.03 },
      { name: 'tune', epochs: 1, batchSize: 16, learningRate: 0.001, trainable: { topBlocks: 1 } },
    ],
  }));
  const result = await trainTextExperiment({ experimentFile: file, cacheDir, listener: new RecordingListener() });
  assert.equal(result.state, 'completed', result.message);
  return result.runDir;
}

/** The run's own probabilities for TEXTS, row by row in class order. */
async function runProbabilities(dir: string): Promise<number[][]> {
  const model = await loadTextRunModel(dir, { cacheDir });
  try {
    const predictions = await predictTexts(model, TEXTS, model.card.classes.length);
    return predictions.map((p) => model.card.classes.map((name) => p.top.find((t) => t.label === name)!.confidence));
  } finally {
    model.dispose();
  }
}

function assertClose(actual: number[][], expected: number[][]): void {
  actual.forEach((row, i) => row.forEach((value, k) => assert.ok(Math.abs(value - expected[i][k]) < 1e-5, `${TEXTS[i]}: class ${k} ${value} vs the run's ${expected[i][k]}`)));
}

before(async () => {
  await selectEngine('wasm');
  cacheDir = tempDir('hf-cache');
  checkpoint = await writeTinyCheckpoint({ seed: 7 });
  runDir = await trainRun({ pooling: 'pooled', hiddenUnits: 0, dropout: 0.1 });
});

test('a completed text run exports as a Hugging Face BertForSequenceClassification folder (the default for text runs)', async () => {
  const result = await exportRun(runDir, {}, { cacheDir });
  assert.equal(result.format, 'hf');
  assert.equal(result.file, join(runDir, 'hf'));
  assert.match(result.python, /AutoModelForSequenceClassification\.from_pretrained\(".*hf"\)/);
  assert.match(result.python, /truncation=True, max_length=16/);
  assert.deepEqual((await readdir(result.file)).sort(), [EXPORT_MARKER, 'config.json', 'labels.json', 'model.safetensors', 'tokenizer_config.json', 'vocab.txt']);

  const config = JSON.parse(await readFile(join(result.file, 'config.json'), 'utf8'));
  assert.deepEqual(config.architectures, ['BertForSequenceClassification']);
  assert.deepEqual(config.id2label, { 0: 'negative', 1: 'positive' });
  assert.deepEqual(config.label2id, { negative: 0, positive: 1 });
  assert.equal(config.model_type, 'bert');
  assert.equal(config.hidden_size, 32);
  assert.equal(config.num_hidden_layers, 2);
  assert.equal(JSON.parse(await readFile(join(result.file, 'tokenizer_config.json'), 'utf8')).model_max_length, 16);

  const { entries } = await readSafetensorsHeader(join(result.file, 'model.safetensors'));
  for (const name of ['bert.embeddings.word_embeddings.weight', 'bert.embeddings.LayerNorm.weight', 'bert.encoder.layer.1.attention.self.query.weight', 'bert.pooler.dense.weight']) {
    assert.ok(entries.has(name), `${name} is stored`);
  }
  // PyTorch's Linear layout: [out, in]
  assert.deepEqual(entries.get('classifier.weight')!.shape, [2, 32]);
  assert.deepEqual(entries.get('classifier.bias')!.shape, [2]);
  assert.equal(result.params, [...entries.values()].reduce((sum, e) => sum + e.shape.reduce((a, b) => a * b, 1), 0));
});

test('the hf folder, read back with our own BERT loader, classifies exactly as the run does (trained encoder layer included)', async () => {
  const { file } = await exportRun(runDir, { format: 'hf', out: join(tempDir('hf-out'), 'reviews-hf') }, { cacheDir });
  const base = await loadBertBase(file, { cacheDir });
  try {
    const classifier = await readSafetensors(join(file, 'model.safetensors'), ['classifier.weight', 'classifier.bias']);
    const w = classifier.get('classifier.weight')!;
    const b = classifier.get('classifier.bias')!;
    const batch = base.tokenizer.encodeBatch(TEXTS, 16);
    const exported = tf.tidy(() => {
      const pooled = base.model.forward(tf.tensor2d(batch.ids, [batch.count, batch.length], 'int32'), base.tokenizer.padId, 'pooled');
      return tf.softmax(tf.add(tf.matMul(pooled, tf.tensor2d(w.data, w.shape as [number, number]), false, true), tf.tensor1d(b.data)));
    });
    assertClose((await exported.array()) as number[][], await runProbabilities(runDir));
    exported.dispose();
  } finally {
    base.model.dispose();
  }
});

test('a head transformers has no class for (mean pooling, a hidden layer) exports as a BertModel encoder plus head.safetensors that predict as the run does', async () => {
  const meanRun = await trainRun({ pooling: 'mean', hiddenUnits: 8, dropout: 0 });
  const result = await exportRun(meanRun, {}, { cacheDir });
  assert.match(result.title, /BertModel folder \+ head\.safetensors \(its head pools by the mean of the token states .* and has a hidden layer of 8 units/);
  assert.match(result.python, /AutoModel\.from_pretrained[\s\S]*mean over real tokens[\s\S]*torch\.relu\(x @ head\["hidden\.weight"\]\.T/);
  const config = JSON.parse(await readFile(join(result.file, 'config.json'), 'utf8'));
  assert.deepEqual(config.architectures, ['BertModel']);
  assert.deepEqual(config.transfer_lab_head, { pooling: 'mean', hidden_units: 8, file: 'head.safetensors' });
  const { entries } = await readSafetensorsHeader(join(result.file, 'model.safetensors'));
  assert.ok(entries.has('embeddings.word_embeddings.weight') && !entries.has('classifier.weight'), 'the encoder under BertModel\'s own names');
  const head = await readSafetensors(join(result.file, 'head.safetensors'), ['hidden.weight', 'hidden.bias', 'classifier.weight', 'classifier.bias']);
  assert.deepEqual(head.get('hidden.weight')!.shape, [8, 32]);
  assert.deepEqual(head.get('classifier.weight')!.shape, [2, 8]);

  const base = await loadBertBase(result.file, { cacheDir });
  try {
    const batch = base.tokenizer.encodeBatch(TEXTS, 16);
    const t = (name: string) => tf.tensor2d(head.get(name)!.data, head.get(name)!.shape as [number, number]);
    const exported = tf.tidy(() => {
      const pooled = base.model.forward(tf.tensor2d(batch.ids, [batch.count, batch.length], 'int32'), base.tokenizer.padId, 'mean');
      const hidden = tf.relu(tf.add(tf.matMul(pooled, t('hidden.weight'), false, true), tf.tensor1d(head.get('hidden.bias')!.data)));
      return tf.softmax(tf.add(tf.matMul(hidden, t('classifier.weight'), false, true), tf.tensor1d(head.get('classifier.bias')!.data)));
    });
    assertClose((await exported.array()) as number[][], await runProbabilities(meanRun));
    exported.dispose();
  } finally {
    base.model.dispose();
  }
});

test('image-only formats are refused for a text run by name; a foreign folder is never replaced', async () => {
  await assert.rejects(exportRun(runDir, { format: 'h5' }, { cacheDir }), /h5 export is for image runs only; a text run exports as hf — give --format hf/);
  const foreign = join(tempDir('hf-foreign'), 'someone-else');
  await mkdir(foreign);
  await writeFile(join(foreign, 'config.json'), '{"architectures":["GPT2LMHeadModel"]}');
  await assert.rejects(exportRun(runDir, { out: foreign }, { cacheDir }), /holds files no Transfer Lab export wrote \(config\.json\)/);
  assert.deepEqual(await readdir(foreign), ['config.json']);
  // an earlier export of ours is replaced whole
  const out = join(tempDir('hf-again'), 'model');
  await exportRun(runDir, { out }, { cacheDir });
  // a file our earlier export listed in its marker (e.g. a shard the new export no longer has) goes with it
  const marker = JSON.parse(await readFile(join(out, EXPORT_MARKER), 'utf8'));
  await writeFile(join(out, EXPORT_MARKER), JSON.stringify({ ...marker, files: [...marker.files, 'stale.bin'] }));
  await writeFile(join(out, 'stale.bin'), 'left from before');
  await exportRun(runDir, { out }, { cacheDir });
  assert.ok(!(await readdir(out)).includes('stale.bin'));
});

test('heads BertForSequenceClassification cannot express are named', () => {
  assert.equal(hfMismatch({ pooling: 'pooled', head: { hiddenUnits: 0, dropout: 0.3 } }), undefined);
  assert.match(hfMismatch({ pooling: 'mean', head: { hiddenUnits: 0, dropout: 0 } })!, /mean of the token states \(head\.pooling "mean"\), not BERT's pooler/);
  assert.match(hfMismatch({ pooling: 'cls', head: { hiddenUnits: 0, dropout: 0 } })!, /raw \[CLS\] state/);
  assert.match(hfMismatch({ pooling: 'pooled', head: { hiddenUnits: 64, dropout: 0 } })!, /hidden layer of 64 units/);
});
