// Encoder throughput on this machine: `node --import tsx test/unit/text/speed.ts [wasm|cpu]`. Random weights (no
// pre-trained BERT is available offline), sequence length 128, every position a real token (the worst case).
import * as tf from '@tensorflow/tfjs';
import { selectEngine } from '../../../src/engine/backend/select';
import { parseBertConfig } from '../../../src/engine/text/bertConfig';
import { BertModel } from '../../../src/engine/text/bertModel';
import { randomBertTensors } from '../../../src/engine/text/bertWeights';

const SIZES = {
  'bert-tiny (L-2 H-128 A-2)': { num_hidden_layers: 2, hidden_size: 128, num_attention_heads: 2, intermediate_size: 512 },
  'bert-base (L-12 H-768 A-12)': { num_hidden_layers: 12, hidden_size: 768, num_attention_heads: 12, intermediate_size: 3072 },
};
const LENGTH = 128;

async function measure(label: string, work: () => tf.Tensor, sequences: number, repeats: number): Promise<void> {
  const warm = work();
  await warm.data();
  warm.dispose();
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    const out = work();
    await out.data();
    out.dispose();
    best = Math.min(best, performance.now() - started);
  }
  console.log(`${label}: ${(sequences / (best / 1000)).toFixed(1)} sequences/s (best of ${repeats}, ${best.toFixed(0)} ms per batch of ${sequences})`);
}

async function main(): Promise<void> {
  const engine = await selectEngine((process.argv[2] ?? 'wasm') as 'wasm' | 'cpu');
  console.log(`engine: ${engine.detail}`);
  for (const [name, size] of Object.entries(SIZES)) {
    const config = parseBertConfig({ model_type: 'bert', vocab_size: 30522, max_position_embeddings: 512, type_vocab_size: 2, ...size }, name);
    const model = BertModel.fromTensors(config, new Map(randomBertTensors(config, 1).map((t) => [t.name, t])), name);
    const batch = name.startsWith('bert-tiny') ? 32 : 8;
    const ids = tf.tensor2d(Int32Array.from({ length: batch * LENGTH }, (_, i) => 1000 + (i % LENGTH)), [batch, LENGTH], 'int32');
    await measure(`${name} forward, pooled`, () => model.forward(ids, 0, 'mean'), batch, 3);
    const top = [...model.weights].filter(([key]) => key.startsWith(`encoder.layer.${config.numLayers - 1}.`)).map(([, v]) => ((v.trainable = true), v));
    const hidden = tf.tidy(() => model.encode(model.embed(ids), model.maskOf(ids, 0), 0, config.numLayers - 1));
    const mask = model.maskOf(ids, 0);
    await measure(`${name} training step of the top layer (cached input)`, () => {
      const { value, grads } = tf.variableGrads(() => tf.mean(model.pool(model.encode(hidden, mask, config.numLayers - 1), mask, 'mean')) as tf.Scalar, top);
      tf.dispose(Object.values(grads));
      return value;
    }, batch, 3);
    tf.dispose([ids, hidden, mask]);
    model.dispose();
  }
}

void main();
