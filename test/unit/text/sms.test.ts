import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectEngine } from '../../../src/engine/backend/select';
import { trainTextExperiment } from '../../../src/engine/text/textTrain';
import { RecordingListener } from '../training/listener';
import { sharedData, skipWithoutSharedData } from '../fixtures/sharedData';
import { SHARED_TOKENIZER, tempDir, writeTinyCheckpoint } from './fixtures';

const SMS = sharedData('text', 'sms_spam.tsv');
const skip = skipWithoutSharedData(['text', 'sms_spam.tsv'], ['weights', 'bert-tiny-tokenizer', 'vocab.txt'], ['weights', 'bert-tiny-tokenizer', 'tokenizer.json']);

// No pre-trained BERT exists offline: a bert-tiny-shaped encoder with random weights and the real bert-tiny
// tokenizer is a random feature extractor. Learning well above chance through it shows the pipeline works; a
// pre-trained checkpoint is what makes the features good.
test('SMS spam, balanced subset: a random bert-tiny with a trained head scores far above chance (0.5)', { skip }, async () => {
  await selectEngine('wasm');
  const lines = readFileSync(SMS!, 'utf8').split('\n').filter(Boolean);
  const subset = (label: string) => lines.filter((line) => line.startsWith(`${label}\t`)).slice(0, 300);
  const dir = tempDir('sms');
  writeFileSync(join(dir, 'sms.tsv'), [...subset('ham'), ...subset('spam')].join('\n'));
  const vocab = readFileSync(join(SHARED_TOKENIZER!, 'vocab.txt'), 'utf8').replace(/\n$/, '').split('\n');
  const checkpoint = await writeTinyCheckpoint({ seed: 5, vocab, config: { hidden_size: 128, intermediate_size: 512, max_position_embeddings: 512 } });
  copyFileSync(join(SHARED_TOKENIZER!, 'tokenizer.json'), join(checkpoint, 'tokenizer.json'));
  const file = join(dir, 'sms.experiment.json');
  writeFileSync(file, JSON.stringify({
    name: 'sms', seed: 1, data: { kind: 'text', root: 'sms.tsv', maxLength: 64, split: { val: 0.25 } },
    base: { model: checkpoint }, head: { pooling: 'mean', dropout: 0 }, phases: [{ epochs: 12, batchSize: 32, learningRate: 0.03 }],
  }));
  const listener = new RecordingListener();
  const result = await trainTextExperiment({ experimentFile: file, cacheDir: tempDir('sms-cache'), listener });
  assert.equal(result.state, 'completed');
  assert.ok(result.valAccuracy >= 0.85, `val accuracy ${result.valAccuracy}`);
  assert.ok(listener.logs.some((l) => /same text as .*skipped so it cannot land in both train and validation/.test(l.message)), 'repeated messages are reported');
  assert.ok(listener.logs.some((l) => /tokens per text: mean \d+/.test(l.message)));
});
