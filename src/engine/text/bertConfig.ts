// A Hugging Face BERT config.json, checked, and the exact list of weights it implies: parameter counts, random
// initialisation, loading and export all come from this one list, so none of them needs a model in memory.
import { ModelError } from '../models/errors';

export type HiddenAct = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'relu';

export interface BertConfig {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
  hiddenAct: HiddenAct;
  padTokenId: number;
}

/** Hugging Face names (BertModel, no "bert." prefix) with PyTorch shapes: Linear weights are [out, in]. */
export interface WeightSpec {
  name: string;
  shape: number[];
}

const ACTIVATIONS: HiddenAct[] = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'relu'];

function positiveInt(json: Record<string, unknown>, key: string, file: string, fallback?: number): number {
  const value = json[key] ?? fallback;
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new ModelError(`"${key}" is ${JSON.stringify(json[key])}; expected a positive whole number`, file, 'Use the config.json that came with the checkpoint');
  }
  return value as number;
}

/** Reads config.json's fields (BERT-family models: bert, and the same layout under other names). */
export function parseBertConfig(json: unknown, file: string): BertConfig {
  if (typeof json !== 'object' || json === null) throw new ModelError('not a JSON object', file, 'Use the config.json that came with the checkpoint');
  const c = json as Record<string, unknown>;
  if (c.model_type !== undefined && c.model_type !== 'bert') {
    throw new ModelError(`model_type is "${String(c.model_type)}"; only BERT checkpoints are supported`, file, 'Choose a BERT model (model_type "bert"), e.g. google/bert_uncased_L-2_H-128_A-2');
  }
  if (c.position_embedding_type !== undefined && c.position_embedding_type !== 'absolute') {
    throw new ModelError(`position_embedding_type "${String(c.position_embedding_type)}" is not supported`, file, 'Choose a BERT model with absolute position embeddings');
  }
  const hiddenAct = (c.hidden_act ?? 'gelu') as HiddenAct;
  if (!ACTIVATIONS.includes(hiddenAct)) throw new ModelError(`hidden_act "${String(c.hidden_act)}" is not supported (${ACTIVATIONS.join(', ')})`, file, 'Choose a standard BERT checkpoint');
  const config: BertConfig = {
    vocabSize: positiveInt(c, 'vocab_size', file),
    hiddenSize: positiveInt(c, 'hidden_size', file),
    numLayers: positiveInt(c, 'num_hidden_layers', file),
    numHeads: positiveInt(c, 'num_attention_heads', file),
    intermediateSize: positiveInt(c, 'intermediate_size', file),
    maxPositions: positiveInt(c, 'max_position_embeddings', file, 512),
    typeVocabSize: positiveInt(c, 'type_vocab_size', file, 2),
    layerNormEps: typeof c.layer_norm_eps === 'number' ? c.layer_norm_eps : 1e-12,
    hiddenAct,
    padTokenId: Number.isInteger(c.pad_token_id) ? (c.pad_token_id as number) : 0,
  };
  if (config.hiddenSize % config.numHeads !== 0) {
    throw new ModelError(`hidden_size ${config.hiddenSize} is not divisible by num_attention_heads ${config.numHeads}`, file, 'Fix the config so each head gets an equal share');
  }
  return config;
}

const linear = (name: string, outputs: number, inputs: number): WeightSpec[] => [
  { name: `${name}.weight`, shape: [outputs, inputs] },
  { name: `${name}.bias`, shape: [outputs] },
];
const layerNorm = (name: string, size: number): WeightSpec[] => [
  { name: `${name}.weight`, shape: [size] },
  { name: `${name}.bias`, shape: [size] },
];

function layerWeightSpecs(config: BertConfig, i: number): WeightSpec[] {
  const { hiddenSize: h, intermediateSize: m } = config;
  const p = `encoder.layer.${i}`;
  return [
    ...linear(`${p}.attention.self.query`, h, h), ...linear(`${p}.attention.self.key`, h, h), ...linear(`${p}.attention.self.value`, h, h),
    ...linear(`${p}.attention.output.dense`, h, h), ...layerNorm(`${p}.attention.output.LayerNorm`, h),
    ...linear(`${p}.intermediate.dense`, m, h), ...linear(`${p}.output.dense`, h, m), ...layerNorm(`${p}.output.LayerNorm`, h),
  ];
}

export function bertWeightSpecs(config: BertConfig, options: { pooler?: boolean } = {}): WeightSpec[] {
  const h = config.hiddenSize;
  return [
    { name: 'embeddings.word_embeddings.weight', shape: [config.vocabSize, h] },
    { name: 'embeddings.position_embeddings.weight', shape: [config.maxPositions, h] },
    { name: 'embeddings.token_type_embeddings.weight', shape: [config.typeVocabSize, h] },
    ...layerNorm('embeddings.LayerNorm', h),
    ...Array.from({ length: config.numLayers }, (_, i) => layerWeightSpecs(config, i)).flat(),
    ...(options.pooler === false ? [] : linear('pooler.dense', h, h)),
  ];
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Parameter count from the config alone (bert-base-uncased with pooler: 109,482,240). */
export function bertParamCount(config: BertConfig, options: { pooler?: boolean } = {}): number {
  return bertWeightSpecs(config, options).reduce((sum, spec) => sum + sizeOf(spec.shape), 0);
}
