// BERT written out loop by loop from the Hugging Face definition (BertModel), in plain numbers: slow, obvious, and
// independent of the tfjs version's reshapes and transposes, which the tests compare against it.
import type { BertConfig } from '../../../src/engine/text/bertConfig';

type Weights = Map<string, Float32Array>;
type Matrix = number[][];

/** Abramowitz–Stegun 7.1.26 (error < 1.5e-7), enough for a 1e-4 comparison. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/** PyTorch Linear: weight [out, in] row-major. */
function linear(x: number[], w: Weights, name: string): number[] {
  const weight = w.get(`${name}.weight`)!, bias = w.get(`${name}.bias`)!;
  return Array.from(bias, (b, o) => x.reduce((sum, v, i) => sum + v * weight[o * x.length + i], b));
}

function layerNorm(x: number[], w: Weights, name: string, eps: number): number[] {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  const gamma = w.get(`${name}.weight`)!, beta = w.get(`${name}.bias`)!;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * gamma[i] + beta[i]);
}

/** Hidden states [S][H] of one sequence (mask: 1 real, 0 padding) and the pooled output. */
export function referenceBert(config: BertConfig, w: Weights, ids: number[], mask: number[]): { hidden: Matrix; pooled: number[] } {
  const { hiddenSize: h, numHeads, layerNormEps: eps } = config;
  const size = h / numHeads;
  const row = (name: string, r: number) => Array.from(w.get(name)!.subarray(r * h, (r + 1) * h));
  let x: Matrix = ids.map((id, t) => {
    const sum = row('embeddings.word_embeddings.weight', id).map((v, i) => v + row('embeddings.position_embeddings.weight', t)[i] + row('embeddings.token_type_embeddings.weight', 0)[i]);
    return layerNorm(sum, w, 'embeddings.LayerNorm', eps);
  });
  for (let l = 0; l < config.numLayers; l++) {
    const p = `encoder.layer.${l}`;
    const [q, k, v] = ['query', 'key', 'value'].map((part) => x.map((token) => linear(token, w, `${p}.attention.self.${part}`)));
    const context = x.map((_, t) => {
      const out = new Array<number>(h).fill(0);
      for (let head = 0; head < numHeads; head++) {
        const slice = (vec: number[]) => vec.slice(head * size, (head + 1) * size);
        const scores = k.map((key, s) => (mask[s] ? slice(q[t]).reduce((a, qv, i) => a + qv * slice(key)[i], 0) / Math.sqrt(size) : -Infinity));
        const top = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - top));
        const total = exps.reduce((a, b) => a + b, 0);
        exps.forEach((e, s) => slice(v[s]).forEach((value, i) => (out[head * size + i] += (e / total) * value)));
      }
      return out;
    });
    const attended = x.map((token, t) => layerNorm(linear(context[t], w, `${p}.attention.output.dense`).map((a, i) => a + token[i]), w, `${p}.attention.output.LayerNorm`, eps));
    x = attended.map((token) => {
      const inner = linear(token, w, `${p}.intermediate.dense`).map((a) => 0.5 * a * (1 + erf(a / Math.SQRT2)));
      return layerNorm(linear(inner, w, `${p}.output.dense`).map((a, i) => a + token[i]), w, `${p}.output.LayerNorm`, eps);
    });
  }
  return { hidden: x, pooled: linear(x[0], w, 'pooler.dense').map(Math.tanh) };
}
