import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeKeywordCsv, writeTinyCheckpoint } from '../text/fixtures';
import { runCli } from './runCli';

test('text runs go through the same CLI and host: scan, train, evaluate, predict --text, export', async () => {
  const work = await mkdtemp(join(tmpdir(), 'tl-cli-text-'));
  const env = { TRANSFER_LAB_CACHE: join(work, 'cache') };
  const csv = writeKeywordCsv(240);
  const scan = await runCli(['scan', '--kind', 'text', csv, '--json'], env);
  assert.equal(scan.code, 0, scan.stderr);
  assert.deepEqual(scan.json.classes, ['negative', 'positive']);

  const file = join(work, 'reviews.experiment.json');
  await writeFile(file, JSON.stringify({
    name: 'reviews', seed: 5, data: { kind: 'text', root: csv, maxLength: 16 }, base: { model: await writeTinyCheckpoint() },
    head: { pooling: 'mean', dropout: 0 }, phases: [{ epochs: 10, batchSize: 16, learningRate: 0.01 }, { epochs: 2, batchSize: 16, learningRate: 0.001, trainable: { topBlocks: 1 } }],
  }));
  const train = await runCli(['train', file, '--json'], env);
  assert.equal(train.code, 0, train.stderr);
  assert.equal(train.json.state, 'completed');
  assert.ok(Number(train.json.val_accuracy) >= 0.75, `val accuracy (chance 0.5) ${train.json.val_accuracy}`);
  const runDir = String(train.json.run_dir);

  const evaluate = await runCli(['evaluate', runDir, '--json'], env);
  assert.equal(evaluate.code, 0, evaluate.stderr);
  assert.equal(evaluate.json.accuracy, train.json.val_accuracy);

  const predict = await runCli(['predict', runDir, '--text', 'the movie was great', '--text', 'this film was awful', '--json'], env);
  assert.equal(predict.code, 0, predict.stderr);
  const predictions = predict.json.predictions as { text: string; top: { label: string }[] }[];
  assert.deepEqual(predictions.map((p) => p.top[0].label), ['positive', 'negative']);
  assert.match(predict.stderr, /^positive \d+\.\d%, negative \d+\.\d% +← "the movie was great"$/m);

  // export is a host request too: a mean-pooled head has no transformers class, so the encoder goes as a BertModel
  // and the head beside it, with the Python that pools as the run did
  const exported = await runCli(['export', runDir, '--out', join(work, 'reviews-hf'), '--json'], env);
  assert.equal(exported.code, 0, exported.stderr);
  assert.equal(exported.json.format, 'hf');
  assert.match(String(exported.json.python), /AutoModel\.from_pretrained[\s\S]*mean over real tokens/);
  assert.match(exported.stderr, /Hugging Face BertModel folder \+ head\.safetensors \(its head pools by the mean of the token states/);
  const h5 = await runCli(['export', runDir, '--format', 'h5', '--json'], env);
  assert.match(String(h5.json.error), /h5 export is for image runs only; a text run exports as hf/);
});
