// Gets BERT weights into memory: from a Hugging Face checkpoint's model.safetensors (whatever head class saved
// it), or seeded random values for tests and benchmarks.
import { createRng, deriveSeed } from '../random';
import { ModelError } from '../models/errors';
import { bertWeightSpecs, sizeOf, type BertConfig } from './bertConfig';
import type { NamedTensor } from './bertModel';
import { readSafetensors, readSafetensorsHeader } from './safetensors';

const ANCHOR = 'embeddings.word_embeddings.weight';

/** Hugging Face name → the name inside this file ("bert." prefix of task models, TF-era LayerNorm gamma/beta). */
function nameResolver(names: Set<string>, file: string): (name: string) => string | undefined {
  const anchor = [...names].find((name) => name === ANCHOR || name.endsWith(`.${ANCHOR}`));
  if (!anchor) throw new ModelError(`no "${ANCHOR}" tensor: this is not a BERT checkpoint`, file, 'Use a BERT-family model.safetensors');
  const prefix = anchor.slice(0, anchor.length - ANCHOR.length);
  return (name) => {
    const candidates = [name, name.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta')];
    return candidates.map((c) => prefix + c).find((c) => names.has(c));
  };
}

/** Reads the weights the config implies (pooler when present), skipping heads and buffers the encoder does not use. */
export async function readBertSafetensors(file: string, config: BertConfig): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
  const header = await readSafetensorsHeader(file);
  const resolve = nameResolver(new Set(header.entries.keys()), file);
  const specs = bertWeightSpecs(config, { pooler: resolve('pooler.dense.weight') !== undefined });
  const missing = specs.filter((spec) => !resolve(spec.name)).map((spec) => spec.name);
  if (missing.length) {
    throw new ModelError(`missing ${missing.length} weights, e.g. "${missing[0]}"`, file, 'Check that config.json and model.safetensors come from the same model');
  }
  const stored = await readSafetensors(file, specs.map((spec) => resolve(spec.name)!));
  return new Map(specs.map((spec) => [spec.name, stored.get(resolve(spec.name)!)!]));
}

/** Box–Muller normal samples from the project's seeded generator. */
function fillNormal(out: Float32Array, std: number, seed: number): void {
  const rng = createRng(seed);
  for (let i = 0; i < out.length; i += 2) {
    const radius = std * Math.sqrt(-2 * Math.log(1 - rng()));
    const angle = 2 * Math.PI * rng();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < out.length) out[i + 1] = radius * Math.sin(angle);
  }
}

/** BERT's initialisation (normal 0.02 matrices, zero biases, unit LayerNorm), seeded per weight name. */
export function randomBertTensors(config: BertConfig, seed: number, options: { pooler?: boolean } = {}): NamedTensor[] {
  return bertWeightSpecs(config, options).map(({ name, shape }) => {
    const data = new Float32Array(sizeOf(shape));
    if (name.endsWith('LayerNorm.weight')) data.fill(1);
    else if (!name.endsWith('.bias')) fillNormal(data, 0.02, deriveSeed(seed, name));
    return { name, shape, data };
  });
}
