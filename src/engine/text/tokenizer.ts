// WordPiece tokenisation for BERT via @huggingface/tokenizers (pure JS, no download, no native binary: it runs
// in Node, the extension host and a webview alike). A checkpoint with only vocab.txt gets the tokenizer.json
// that Hugging Face would build for it, so both kinds of checkpoint go through one implementation.
import type { Tokenizer } from '@huggingface/tokenizers' with { 'resolution-mode': 'import' };
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '../training/featureStore';
import { ModelError } from '../models/errors';

export interface EncodedText {
  /** [CLS] pieces [SEP], then padding to the requested length. */
  ids: number[];
  attentionMask: number[];
  /** Real tokens including [CLS] and [SEP]. */
  length: number;
  /** The text had more pieces than fit. */
  truncated: boolean;
}

export interface EncodedBatch {
  /** Row-major [count, length] token ids. */
  ids: Int32Array;
  count: number;
  length: number;
  /** Per row: the text had more pieces than fit. */
  truncated: boolean[];
}

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
/** Texts longer than this many characters per token are cut at a space before encoding (long e-mails, logs). */
const CHARS_PER_TOKEN_BOUND = 32;

/** What the tokenizers library needs to build BERT's tokenizer from a vocab.txt (as Hugging Face's converter does). */
function tokenizerJsonFromVocab(vocabText: string, lowercase: boolean): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  vocabText.split(/\r?\n/).forEach((token, id) => {
    if (token !== '' && !(token in vocab)) vocab[token] = id;
  });
  const special = (content: string) => ({ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    added_tokens: SPECIALS.filter((t) => t in vocab).map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [],
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

export class TextTokenizer {
  readonly padId: number;
  readonly clsId: number;
  readonly sepId: number;

  /** `fingerprint` identifies the tokenizer definition, so cached features are keyed by it. */
  constructor(private readonly tokenizer: Tokenizer, readonly fingerprint: string, source: string) {
    const id = (token: string) => {
      const value = this.tokenizer.token_to_id(token);
      if (value === undefined) throw new ModelError(`the vocabulary has no ${token} token`, source, 'Use a BERT tokenizer (WordPiece with [CLS], [SEP], [PAD])');
      return value;
    };
    [this.padId, this.clsId, this.sepId] = [id('[PAD]'), id('[CLS]'), id('[SEP]')];
  }

  /** Word pieces without special tokens. */
  tokenize(text: string): string[] {
    return this.tokenizer.tokenize(text, { add_special_tokens: false });
  }

  decode(ids: number[]): string {
    return this.tokenizer.decode(ids, { skip_special_tokens: true });
  }

  idToToken(id: number): string | undefined {
    return this.tokenizer.id_to_token(id);
  }

  /** [CLS] + at most maxLength − 2 pieces + [SEP], padded with [PAD] to `padTo` (default: no padding). */
  encode(text: string, maxLength: number, padTo = 0): EncodedText {
    if (maxLength < 3) throw new RangeError(`maxLength ${maxLength} leaves no room for text between [CLS] and [SEP]`);
    const room = maxLength - 2;
    let pieces: number[];
    let truncated: boolean;
    const limit = maxLength * CHARS_PER_TOKEN_BOUND;
    const cut = text.length > limit ? lastSpaceBefore(text, limit) : -1;
    // Pre-tokenisation splits at spaces, so a prefix cut at one yields exactly the full text's first pieces.
    const prefix = cut > 0 ? this.pieces(text.slice(0, cut)) : undefined;
    if (prefix && prefix.length >= room) {
      pieces = prefix;
      truncated = prefix.length > room || text.slice(cut).trim() !== '';
    } else {
      pieces = this.pieces(text);
      truncated = pieces.length > room;
    }
    const ids = [this.clsId, ...pieces.slice(0, room), this.sepId];
    const length = ids.length;
    while (ids.length < padTo) ids.push(this.padId);
    return { ids, attentionMask: ids.map((_, i) => (i < length ? 1 : 0)), length, truncated };
  }

  /** Rows padded to `fixedLength`, or to the longest row when it is omitted (padding never changes the results). */
  encodeBatch(texts: readonly string[], maxLength: number, fixedLength?: number): EncodedBatch {
    const encoded = texts.map((text) => this.encode(text, maxLength));
    const length = fixedLength ?? Math.max(2, ...encoded.map((e) => e.length));
    const ids = new Int32Array(texts.length * length).fill(this.padId);
    encoded.forEach((e, row) => ids.set(e.ids, row * length));
    return { ids, count: texts.length, length, truncated: encoded.map((e) => e.truncated) };
  }

  private pieces(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids;
  }
}

function lastSpaceBefore(text: string, limit: number): number {
  for (let i = limit; i > 0; i--) if (/\s/.test(text[i])) return i;
  return -1;
}

async function readJsonIfPresent(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModelError(`cannot read (${(error as Error).message})`, file, 'Download the tokenizer files again');
  }
}

/** The library is an ES module: CommonJS code (this bundle) reaches it through import(). */
export async function createTokenizer(definition: Record<string, unknown>, config: Record<string, unknown>, source: string): Promise<TextTokenizer> {
  const { Tokenizer } = await import('@huggingface/tokenizers');
  return new TextTokenizer(new Tokenizer(definition, config), sha256(JSON.stringify(definition)), source);
}

/** tokenizer.json when the folder has one, else vocab.txt (+ tokenizer_config.json's do_lower_case, default true). */
export async function loadTokenizer(folder: string): Promise<TextTokenizer> {
  const config = (await readJsonIfPresent(join(folder, 'tokenizer_config.json'))) ?? {};
  const json = await readJsonIfPresent(join(folder, 'tokenizer.json'));
  if (json) return createTokenizer(json, config, join(folder, 'tokenizer.json'));
  const vocabFile = join(folder, 'vocab.txt');
  const vocab = await readFile(vocabFile, 'utf8').catch(() => {
    throw new ModelError('no tokenizer.json or vocab.txt', folder, 'Put the checkpoint\'s tokenizer.json (or vocab.txt) next to its config.json');
  });
  return createTokenizer(tokenizerJsonFromVocab(vocab, config.do_lower_case !== false), config, vocabFile);
}
