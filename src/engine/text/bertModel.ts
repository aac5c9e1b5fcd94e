// BERT's forward pass in tfjs ops over Hugging Face-named weights: embeddings, N encoder layers, pooler. Linear
// weights live transposed to [in, out] (PyTorch stores [out, in]) so every product is an untransposed matMul, the
// fast kind on wasm (see matmul.ts); snapshots and restores speak PyTorch's layout.
import * as tf from '@tensorflow/tfjs';
import type { TextPooling } from '../../protocol/experiment';
import { ModelError } from '../models/errors';
import { bertWeightSpecs, type BertConfig, type WeightSpec } from './bertConfig';
import { plainMatMul } from './matmul';

export type { TextPooling } from '../../protocol/experiment';

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Masked positions get this added to their attention scores: exp() of it is exactly 0 in float32. */
const MASKED_SCORE = -1e9;

const isLinearWeight = (name: string) => /\.(query|key|value|dense)\.weight$/.test(name);

export class BertModel {
  private constructor(
    readonly config: BertConfig,
    /** Every weight by its Hugging Face name (Linear weights as [in, out]); `trainable` is toggled per phase. */
    readonly weights: Map<string, tf.Variable>,
    readonly hasPooler: boolean,
  ) {}

  /** Checks every expected weight is present with its shape, then makes variables (frozen until a phase unfreezes them). */
  static fromTensors(config: BertConfig, tensors: Map<string, { shape: number[]; data: Float32Array }>, source: string): BertModel {
    const hasPooler = tensors.has('pooler.dense.weight');
    const specs = bertWeightSpecs(config, { pooler: hasPooler });
    for (const spec of specs) {
      const tensor = tensors.get(spec.name);
      if (!tensor) throw new ModelError(`weight "${spec.name}" is missing`, source, 'Use the model.safetensors that belongs to this config.json');
      if (tensor.shape.join('x') !== spec.shape.join('x')) {
        throw new ModelError(`weight "${spec.name}" has shape [${tensor.shape}], config.json implies [${spec.shape}]`, source, 'Use the config.json that belongs to these weights');
      }
    }
    const weights = new Map(specs.map((spec) => [spec.name, tf.tidy(() => {
      const value = tf.tensor(tensors.get(spec.name)!.data, spec.shape);
      return tf.variable(isLinearWeight(spec.name) ? tf.transpose(value) : value, false);
    })]));
    return new BertModel(config, weights, hasPooler);
  }

  get specs(): WeightSpec[] {
    return bertWeightSpecs(this.config, { pooler: this.hasPooler });
  }

  private w(name: string): tf.Variable {
    return this.weights.get(name)!;
  }

  /** 1 for real tokens, 0 for padding, as float32 [B, S]. */
  maskOf(ids: tf.Tensor2D, padId: number): tf.Tensor2D {
    return tf.cast(tf.notEqual(ids, padId), 'float32') as tf.Tensor2D;
  }

  /** Token + position + segment-0 embeddings, normalised: [B, S] int32 → [B, S, H]. */
  embed(ids: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      const [batch, length] = ids.shape;
      const h = this.config.hiddenSize;
      if (length > this.config.maxPositions) throw new RangeError(`sequence length ${length} exceeds the model's ${this.config.maxPositions} positions`);
      const words = gatherRows(this.w('embeddings.word_embeddings.weight'), ids);
      const positions = tf.slice(this.w('embeddings.position_embeddings.weight'), [0, 0], [length, h]);
      const segment = tf.slice(this.w('embeddings.token_type_embeddings.weight'), [0, 0], [1, h]);
      const sum = tf.add(tf.add(words, positions), segment);
      return this.layerNorm(tf.reshape(sum, [batch * length, h]), 'embeddings.LayerNorm').reshape([batch, length, h]) as tf.Tensor3D;
    });
  }

  /** Runs encoder layers [from, to) on hidden states [B, S, H]. */
  encode(hidden: tf.Tensor3D, mask: tf.Tensor2D, from = 0, to = this.config.numLayers): tf.Tensor3D {
    return tf.tidy(() => {
      const [batch, length] = hidden.shape;
      const bias = tf.reshape(tf.mul(tf.sub(1, mask), MASKED_SCORE), [batch, 1, 1, length]);
      let x = tf.reshape(hidden, [batch * length, this.config.hiddenSize]) as tf.Tensor2D;
      for (let i = from; i < to; i++) x = this.layer(x, bias, batch, length, i);
      return tf.reshape(x, [batch, length, this.config.hiddenSize]) as tf.Tensor3D;
    });
  }

  /** One sequence vector per example: [CLS] state, the pooler's tanh(dense([CLS])), or the mean over real tokens. */
  pool(hidden: tf.Tensor3D, mask: tf.Tensor2D, kind: TextPooling): tf.Tensor2D {
    return tf.tidy(() => {
      const [batch, , size] = hidden.shape;
      if (kind === 'mean') {
        const summed = tf.sum(tf.mul(hidden, tf.expandDims(mask, 2)), 1);
        return tf.div(summed, tf.maximum(tf.sum(mask, 1, true), 1)) as tf.Tensor2D;
      }
      const cls = tf.reshape(tf.slice(hidden, [0, 0, 0], [batch, 1, size]), [batch, size]) as tf.Tensor2D;
      return kind === 'cls' ? cls : this.applyPooler(cls);
    });
  }

  /** BERT's pooler: tanh(dense([CLS] state)). */
  applyPooler(cls: tf.Tensor2D): tf.Tensor2D {
    if (!this.hasPooler) throw new ModelError('this checkpoint has no pooler weights', 'head.pooling', 'Use "cls" or "mean" pooling');
    return tf.tidy(() => tf.tanh(this.linear(cls, 'pooler.dense')));
  }

  /** The whole encoder: ids [B, S] → pooled [B, H]. */
  forward(ids: tf.Tensor2D, padId: number, pooling: TextPooling): tf.Tensor2D {
    return tf.tidy(() => {
      const mask = this.maskOf(ids, padId);
      return this.pool(this.encode(this.embed(ids), mask), mask, pooling);
    });
  }

  /** Current values with Hugging Face names, shapes and layout (for export and checkpoints). */
  snapshot(names: Iterable<string> = this.weights.keys()): NamedTensor[] {
    return [...names].map((name) => {
      const value = tf.tidy(() => (isLinearWeight(name) ? tf.transpose(this.w(name)) : this.w(name).clone()));
      const data = value.dataSync() as Float32Array;
      value.dispose();
      return { name, shape: value.shape, data };
    });
  }

  /** Writes back values in Hugging Face layout (as `snapshot` returns them). */
  restore(saved: readonly NamedTensor[]): void {
    tf.tidy(() => {
      for (const { name, shape, data } of saved) {
        const value = tf.tensor(data, shape);
        this.w(name).assign(isLinearWeight(name) ? tf.transpose(value) : value);
      }
    });
  }

  dispose(): void {
    for (const v of this.weights.values()) v.dispose();
  }

  private linear(x: tf.Tensor2D, name: string): tf.Tensor2D {
    return tf.add(plainMatMul(x, this.w(`${name}.weight`)), this.w(`${name}.bias`)) as tf.Tensor2D;
  }

  private layerNorm(x: tf.Tensor2D, name: string): tf.Tensor2D {
    const { mean, variance } = tf.moments(x, -1, true);
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.config.layerNormEps)));
    return tf.add(tf.mul(normed, this.w(`${name}.weight`)), this.w(`${name}.bias`)) as tf.Tensor2D;
  }

  private activation(x: tf.Tensor2D): tf.Tensor2D {
    const act = this.config.hiddenAct;
    if (act === 'relu') return tf.relu(x);
    // Hugging Face's "gelu" is the exact erf form; "gelu_new"/"gelu_pytorch_tanh" the tanh approximation.
    if (act === 'gelu') return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
    const cube = tf.mul(tf.pow(x, 3), 0.044715);
    return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(tf.add(x, cube), Math.sqrt(2 / Math.PI)))));
  }

  /** [B·S, H] → [B·heads, S, H/heads]. */
  private heads(x: tf.Tensor2D, batch: number, length: number): tf.Tensor3D {
    const { numHeads, hiddenSize } = this.config;
    const split = tf.transpose(tf.reshape(x, [batch, length, numHeads, hiddenSize / numHeads]), [0, 2, 1, 3]);
    return tf.reshape(split, [batch * numHeads, length, hiddenSize / numHeads]);
  }

  private layer(x: tf.Tensor2D, bias: tf.Tensor, batch: number, length: number, i: number): tf.Tensor2D {
    const { numHeads, hiddenSize } = this.config;
    const p = `encoder.layer.${i}`;
    const q = this.heads(this.linear(x, `${p}.attention.self.query`), batch, length);
    const k = this.heads(this.linear(x, `${p}.attention.self.key`), batch, length);
    const v = this.heads(this.linear(x, `${p}.attention.self.value`), batch, length);
    const scores = tf.reshape(plainMatMul(q, tf.transpose(k, [0, 2, 1])), [batch, numHeads, length, length]);
    const probs = tf.softmax(tf.add(tf.mul(scores, 1 / Math.sqrt(hiddenSize / numHeads)), bias));
    const mixed = tf.reshape(plainMatMul(tf.reshape(probs, [batch * numHeads, length, length]), v), [batch, numHeads, length, hiddenSize / numHeads]);
    const context = tf.reshape(tf.transpose(mixed, [0, 2, 1, 3]), [batch * length, hiddenSize]) as tf.Tensor2D;
    const attended = this.layerNorm(tf.add(this.linear(context, `${p}.attention.output.dense`), x) as tf.Tensor2D, `${p}.attention.output.LayerNorm`);
    const inner = this.activation(this.linear(attended, `${p}.intermediate.dense`));
    return this.layerNorm(tf.add(this.linear(inner, `${p}.output.dense`), attended) as tf.Tensor2D, `${p}.output.LayerNorm`);
  }
}

/**
 * Embedding lookup whose gradient is a scatter-add: tfjs differentiates gather through UnsortedSegmentSum, which the
 * wasm backend lacks, while ScatterNd (which sums duplicate indices) exists everywhere.
 */
export function gatherRows(table: tf.Tensor, ids: tf.Tensor2D): tf.Tensor3D {
  const [batch, length] = ids.shape;
  const width = table.shape[1]!;
  const lookup = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const t = args[0] as tf.Tensor;
    return {
      value: tf.reshape(tf.gather(t, tf.reshape(ids, [-1])), [batch, length, width]),
      gradFunc: (dy: tf.Tensor) => tf.scatterND(tf.reshape(ids, [-1, 1]), tf.reshape(dy, [-1, width]), t.shape),
    };
  });
  return lookup(table) as tf.Tensor3D;
}
