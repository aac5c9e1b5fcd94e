// Tiny BERT checkpoints with seeded random weights, written exactly as Hugging Face lays them out on disk.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBertConfig } from '../../../src/engine/text/bertConfig';
import { randomBertTensors } from '../../../src/engine/text/bertWeights';
import { writeSafetensors } from '../../../src/engine/text/safetensors';
import { sharedData } from '../fixtures/sharedData';

/** The real bert-tiny tokenizer files, when the shared data is present. */
export const SHARED_TOKENIZER = sharedData('weights', 'bert-tiny-tokenizer');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

/** A small English vocabulary: specials, letters, and the words the synthetic datasets use. */
export const TINY_VOCAB = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '.', ',', '!', '?',
  ...'abcdefghijklmnopqrstuvwxyz'.split(''), ...'abcdefghijklmnopqrstuvwxyz'.split('').map((c) => `##${c}`),
  'the', 'a', 'movie', 'film', 'was', 'is', 'plot', 'actors', 'story', 'and', 'very', 'quite', 'really', 'it', 'i', 'this',
  'great', 'wonderful', 'superb', 'loved', 'terrible', 'awful', 'boring', 'hated', 'free', 'win', 'prize', 'call', 'now',
  'meet', 'lunch', 'tomorrow', 'see', 'you', 'at', 'home', 'later', 'ok',
];

export function tinyConfigJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model_type: 'bert', vocab_size: TINY_VOCAB.length, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 2,
    intermediate_size: 64, max_position_embeddings: 64, type_vocab_size: 2, layer_norm_eps: 1e-12, hidden_act: 'gelu', pad_token_id: 0,
    ...overrides,
  };
}

/** Writes config.json, model.safetensors (named as task models or TF-era checkpoints save it, when asked) and vocab.txt. */
export async function writeTinyCheckpoint(options: { seed?: number; config?: Record<string, unknown>; prefix?: string; legacyNames?: boolean; pooler?: boolean; vocab?: string[] } = {}): Promise<string> {
  const dir = tempDir('tiny-bert');
  const vocab = options.vocab ?? TINY_VOCAB;
  const json = tinyConfigJson({ vocab_size: vocab.length, ...options.config });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(json));
  writeFileSync(join(dir, 'vocab.txt'), `${vocab.join('\n')}\n`);
  const tensors = randomBertTensors(parseBertConfig(json, 'config.json'), options.seed ?? 1, { pooler: options.pooler });
  // TF-era checkpoints (bert-base-uncased among them) name LayerNorm weights gamma and beta.
  const legacy = (name: string) => (options.legacyNames ? name.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta') : name);
  await writeSafetensors(join(dir, 'model.safetensors'), tensors.map((t) => ({ ...t, name: `${options.prefix ?? ''}${legacy(t.name)}` })));
  return dir;
}

const FILLER = ['the', 'a', 'movie', 'film', 'was', 'is', 'plot', 'actors', 'story', 'and', 'very', 'quite', 'really', 'it', 'i', 'this'];
const KEYWORDS: Record<string, string[]> = { positive: ['great', 'wonderful', 'superb', 'loved'], negative: ['terrible', 'awful', 'boring', 'hated'] };

/** Seeded sentences whose class is decided by one keyword among filler words; returns [text, label] rows. */
export function keywordTexts(count: number, seed: number): [string, string][] {
  let state = seed;
  const next = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  return Array.from({ length: count }, (_, i) => {
    const label = i % 2 ? 'positive' : 'negative';
    const words = Array.from({ length: 2 + next(5) }, () => FILLER[next(FILLER.length)]);
    words.splice(next(words.length + 1), 0, KEYWORDS[label][next(4)]);
    return [`${words.join(' ')} ${i}`, label];
  });
}

/** The keyword texts as a CSV with a header row (quoted, as spreadsheet exports write them). */
export function writeKeywordCsv(count: number, seed = 1): string {
  const file = join(tempDir('keywords'), 'reviews.csv');
  writeFileSync(file, `text,label\n${keywordTexts(count, seed).map(([text, label]) => `"${text}",${label}`).join('\n')}\n`);
  return file;
}
