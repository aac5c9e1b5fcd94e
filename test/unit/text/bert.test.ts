import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { bertParamCount, parseBertConfig } from '../../../src/engine/text/bertConfig';
import { loadBertBase } from '../../../src/engine/text/bertBase';
import { inspectTextBase } from '../../../src/engine/text/textInspect';
import { describeBertLayers, firstTrainableLayer, weightNamesOf } from '../../../src/engine/text/bertLayers';
import { gatherRows } from '../../../src/engine/text/bertModel';
import { resolveTrainable } from '../../../src/engine/models/freeze';
import { ModelError } from '../../../src/engine/models/errors';
import { tempDir, tinyConfigJson, writeTinyCheckpoint } from './fixtures';
import { referenceBert } from './referenceBert';

const BERT_BASE_UNCASED = {
  model_type: 'bert', vocab_size: 30522, hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072,
  max_position_embeddings: 512, type_vocab_size: 2, hidden_act: 'gelu', layer_norm_eps: 1e-12, pad_token_id: 0,
};

before(async () => {
  await tf.setBackend('cpu');
});

test('parameter counts come from the config alone: bert-base-uncased has 109,482,240 with its pooler', () => {
  const config = parseBertConfig(BERT_BASE_UNCASED, 'config.json');
  assert.equal(bertParamCount(config), 109_482_240);
  assert.equal(bertParamCount(config, { pooler: false }), 109_482_240 - (768 * 768 + 768));
});

test('configs BERT cannot run are refused with the field at fault', () => {
  assert.throws(() => parseBertConfig({ ...BERT_BASE_UNCASED, model_type: 'gpt2' }, 'c.json'), /model_type is "gpt2"/);
  assert.throws(() => parseBertConfig({ ...BERT_BASE_UNCASED, num_attention_heads: 5 }, 'c.json'), /not divisible/);
  assert.throws(() => parseBertConfig({ ...BERT_BASE_UNCASED, hidden_size: 0 }, 'c.json'), /"hidden_size" is 0/);
});

test('checkpoints saved by task models ("bert." prefix, LayerNorm gamma/beta) load like plain BertModel ones', async () => {
  const plain = await loadBertBase(await writeTinyCheckpoint({ seed: 3 }), { cacheDir: tempDir('cache') });
  const prefixed = await loadBertBase(await writeTinyCheckpoint({ seed: 3, prefix: 'bert.', legacyNames: true }), { cacheDir: tempDir('cache') });
  try {
    const ids = tf.tensor2d([[2, 40, 41, 3]], [1, 4], 'int32');
    const a = await plain.model.forward(ids, 0, 'pooled').array();
    const b = await prefixed.model.forward(ids, 0, 'pooled').array();
    assert.deepEqual(a, b);
    assert.equal(plain.info.params, bertParamCount(plain.config));
  } finally {
    plain.model.dispose();
    prefixed.model.dispose();
  }
});

test('a checkpoint that does not match its config names the weight and the fix', async () => {
  const dir = await writeTinyCheckpoint({ config: { intermediate_size: 64 } });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(tinyConfigJson({ intermediate_size: 48 })));
  await assert.rejects(loadBertBase(dir, { cacheDir: tempDir('cache') }), (error: ModelError) => {
    assert.match(error.message, /intermediate\.dense\.weight" has shape \[64,32\], config\.json implies \[48,32\]/);
    return true;
  });
});

test('a maxLength beyond the model\'s positions is refused before the weights load, for training and the Layers view alike', async () => {
  const dir = await writeTinyCheckpoint();
  const refusal = (error: ModelError) => {
    assert.equal(error.path, join(dir, 'config.json'));
    assert.match(error.message, /has 64 positions, fewer than the experiment's maxLength 128\. Set data\.maxLength to at most 64/);
    return true;
  };
  await assert.rejects(loadBertBase(dir, { cacheDir: tempDir('cache'), maxLength: 128 }), refusal);
  await assert.rejects(inspectTextBase(dir, { cacheDir: tempDir('cache'), maxLength: 128 }), refusal);
  const fits = await loadBertBase(dir, { cacheDir: tempDir('cache'), maxLength: 64 });
  fits.model.dispose();
});

test('the tfjs BERT matches a loop-by-loop transcription of Hugging Face\'s BertModel (hidden states, pooler, masking)', async () => {
  const dir = await writeTinyCheckpoint({ seed: 9, config: { hidden_size: 8, num_attention_heads: 2, intermediate_size: 16 } });
  const base = await loadBertBase(dir, { cacheDir: tempDir('cache') });
  try {
    const { model, config } = base;
    // Random 0.02-scale weights leave every layer close to the identity; larger ones exercise attention for real.
    model.restore(model.snapshot().map((w) => ({ ...w, data: w.data.map((v, i) => (w.name.endsWith('LayerNorm.weight') ? v : v * 40 + (i % 7) * 0.01)) })));
    const weights = new Map(model.snapshot().map((w) => [w.name, w.data]));
    const ids = [2, 44, 45, 9, 60, 3, 0, 0];
    const mask = ids.map((id) => (id === 0 ? 0 : 1));
    const expected = referenceBert(config, weights, ids, mask);
    const input = tf.tensor2d([ids], [1, ids.length], 'int32');
    const hidden = (await model.encode(model.embed(input), model.maskOf(input, 0)).array())[0];
    const pooled = (await model.forward(input, 0, 'pooled').array())[0];
    const close = (a: number, b: number) => Math.abs(a - b) < 1e-4;
    expected.hidden.slice(0, 6).forEach((token, t) => token.forEach((v, i) => assert.ok(close(v, hidden[t][i]), `token ${t} unit ${i}: ${hidden[t][i]} vs ${v}`)));
    expected.pooled.forEach((v, i) => assert.ok(close(v, pooled[i]), `pooled ${i}`));
  } finally {
    base.model.dispose();
  }
});

test('padding positions do not change the outputs of real tokens, for every pooling', async () => {
  const base = await loadBertBase(await writeTinyCheckpoint({ seed: 5 }), { cacheDir: tempDir('cache') });
  try {
    const { model } = base;
    const real = [2, 44, 45, 46, 47, 3];
    const short = tf.tensor2d([real], [1, 6], 'int32');
    const padded = tf.tensor2d([[...real, ...new Array(14).fill(0)]], [1, 20], 'int32');
    const hidden = (ids: tf.Tensor2D) => tf.tidy(() => model.encode(model.embed(ids), model.maskOf(ids, 0)));
    const a = (await hidden(short).array())[0];
    const b = (await hidden(padded).array())[0].slice(0, 6);
    a.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) < 1e-5, `position ${i}, unit ${j}: ${v} vs ${b[i][j]}`)));
    for (const pooling of ['cls', 'pooled', 'mean'] as const) {
      const x = (await model.forward(short, 0, pooling).data()) as Float32Array;
      const y = (await model.forward(padded, 0, pooling).data()) as Float32Array;
      x.forEach((v, i) => assert.ok(Math.abs(v - y[i]) < 1e-5, `${pooling} unit ${i}`));
    }
  } finally {
    base.model.dispose();
  }
});

test('the same checkpoint gives bit-identical outputs on every load; another seed gives others', async () => {
  const dir = await writeTinyCheckpoint({ seed: 7 });
  const ids = tf.tensor2d([[2, 40, 50, 60, 3, 0]], [1, 6], 'int32');
  const run = async (path: string) => {
    const base = await loadBertBase(path, { cacheDir: tempDir('cache') });
    const out = Array.from(await base.model.forward(ids, 0, 'mean').data());
    base.model.dispose();
    return { out, fingerprint: base.info.fingerprint };
  };
  const first = await run(dir);
  const second = await run(dir);
  const other = await run(await writeTinyCheckpoint({ seed: 8 }));
  assert.deepEqual(first, second);
  assert.notDeepEqual(first.out, other.out);
  assert.notEqual(first.fingerprint, other.fingerprint);
});

test('the layer list has the image tree\'s shape and the same trainable specs', async () => {
  const base = await loadBertBase(await writeTinyCheckpoint(), { cacheDir: tempDir('cache') });
  try {
    const rows = describeBertLayers(base.model, { maxLength: 16, pooling: 'pooled' });
    assert.deepEqual([...new Set(rows.map((r) => r.block))], ['embeddings', 'encoder.layer.0', 'encoder.layer.1', 'pooler']);
    assert.equal(rows.reduce((sum, r) => sum + r.params, 0), base.info.params);
    assert.deepEqual(rows[0], { index: 0, name: 'embeddings.word_embeddings', params: base.config.vocabSize * 32, trainableParams: base.config.vocabSize * 32, trainable: false, block: 'embeddings', className: 'Embedding', outputShape: [null, 16, 32] });
    const top2 = resolveTrainable(rows, { topBlocks: 2 });
    assert.ok([...top2].every((name) => name.startsWith('encoder.layer.1') || name.startsWith('pooler')));
    assert.equal(firstTrainableLayer(base.config, weightNamesOf(base.model, top2)), 1);
    assert.equal(firstTrainableLayer(base.config, weightNamesOf(base.model, resolveTrainable(rows, { all: true }))), -1);
    const withoutPooler = describeBertLayers(base.model, { pooling: 'mean' });
    assert.deepEqual([...resolveTrainable(withoutPooler, { topBlocks: 1 })].every((n) => n.startsWith('encoder.layer.1.')), true);
  } finally {
    base.model.dispose();
  }
});

test('the embedding gradient (a scatter-add, for wasm) equals the plain gather gradient', async () => {
  const table = tf.randomNormal([10, 4], 0, 1, 'float32', 1);
  const ids = tf.tensor2d([[1, 3, 3], [0, 1, 9]], [2, 3], 'int32');
  const dy = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 2);
  const reference = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.reshape(tf.gather(t, tf.reshape(ids, [-1])), [2, 3, 4]), dy)))(table);
  const custom = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(gatherRows(t, ids), dy)))(table);
  assert.deepEqual(await custom.array(), await reference.array());
});
