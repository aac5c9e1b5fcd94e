import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTokenizer } from '../../../src/engine/text/tokenizer';
import { sharedData, skipWithoutSharedData } from '../fixtures/sharedData';
import { SHARED_TOKENIZER, tempDir, TINY_VOCAB } from './fixtures';

const skipReal = skipWithoutSharedData(['weights', 'bert-tiny-tokenizer', 'tokenizer.json'], ['weights', 'bert-tiny-tokenizer', 'vocab.txt']);

/** The real bert-tiny vocabulary with only vocab.txt, as older checkpoints ship it. */
function vocabOnlyFolder(): string {
  const dir = tempDir('vocab-only');
  copyFileSync(join(SHARED_TOKENIZER!, 'vocab.txt'), join(dir, 'vocab.txt'));
  return dir;
}

test('bert-tiny tokenizer.json: the ids Hugging Face gives, [CLS] … [SEP], special tokens', { skip: skipReal }, async () => {
  const tokenizer = await loadTokenizer(SHARED_TOKENIZER!);
  assert.deepEqual([tokenizer.padId, tokenizer.clsId, tokenizer.sepId], [0, 101, 102]);
  assert.deepEqual(tokenizer.encode('Hello, world!', 16).ids.slice(0, 6), [101, 7592, 1010, 2088, 999, 102]);
  assert.deepEqual(tokenizer.tokenize('I have a new GPU!'), ['i', 'have', 'a', 'new', 'gp', '##u', '!']);
  assert.deepEqual(tokenizer.tokenize('unaffable'), ['una', '##ffa', '##ble']);
  assert.deepEqual(tokenizer.tokenize('Héllo naïve café'), ['hello', 'naive', 'cafe'], 'uncased: lower-cased, accents stripped');
  assert.equal(tokenizer.idToToken(100), '[UNK]');
  assert.deepEqual(tokenizer.encode('', 8).ids.slice(0, 2), [101, 102]);
});

test('tokenizer.json and vocab.txt alone give identical ids on real SMS and SST-2 texts, and decoding round-trips', { skip: skipReal }, async () => {
  const fromJson = await loadTokenizer(SHARED_TOKENIZER!);
  const fromVocab = await loadTokenizer(vocabOnlyFolder());
  const texts = [sharedData('text', 'sms_spam.tsv'), sharedData('text', 'sst2', 'dev.tsv')]
    .filter((file) => file !== undefined)
    .flatMap((file) => readFileSync(file, 'utf8').split('\n').slice(1, 400).map((line) => line.split('\t')[1] ?? ''));
  assert.ok(texts.length > 0 || !sharedData('text'));
  for (const text of ['Free entry in 2 a wkly comp to win FA Cup final tkts 21st May 2005.', ...texts]) {
    const a = fromJson.encode(text, 512);
    assert.deepEqual(a.ids, fromVocab.encode(text, 512).ids, text);
    // Decoding joins pieces and lower-cases; it equals the text normalised the same way.
    const normalised = fromJson.decode(fromJson.encode(fromJson.decode(a.ids), 512).ids);
    assert.equal(fromJson.decode(a.ids), normalised, text);
  }
});

test('truncation keeps [CLS] first and [SEP] last, padding fills [PAD] with mask 0, and long texts are cut exactly', { skip: skipReal }, async () => {
  const tokenizer = await loadTokenizer(SHARED_TOKENIZER!);
  const short = tokenizer.encode('the cat sat', 8, 8);
  assert.deepEqual(short.ids, [101, 1996, 4937, 2938, 102, 0, 0, 0]);
  assert.deepEqual(short.attentionMask, [1, 1, 1, 1, 1, 0, 0, 0]);
  assert.equal(short.truncated, false);
  const long = 'word '.repeat(5000) + 'end';
  const cut = tokenizer.encode(long, 8);
  assert.deepEqual(cut.ids, [101, 2773, 2773, 2773, 2773, 2773, 2773, 102]);
  assert.equal(cut.truncated, true);
  // The character-prefix shortcut for long texts gives what encoding the whole text gives.
  const tail = `${'lorem ipsum dolor '.repeat(400)}`;
  const whole = [...tokenizer.encode(tail, 100_000).ids.slice(0, 127), 102];
  assert.deepEqual(tokenizer.encode(tail, 128).ids, whole);
  const batch = tokenizer.encodeBatch(['a b c d e f g h i j', 'hi'], 6);
  assert.equal(batch.length, 6);
  assert.deepEqual(Array.from(batch.ids.slice(6)), [101, 7632, 102, 0, 0, 0]);
  assert.deepEqual(batch.truncated, [true, false]);
});

test('a cased checkpoint (do_lower_case false) keeps case; unknown words become [UNK]', async () => {
  const dir = tempDir('cased');
  writeFileSync(join(dir, 'vocab.txt'), [...TINY_VOCAB, 'Movie'].join('\n'));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: false }));
  const cased = await loadTokenizer(dir);
  assert.deepEqual(cased.tokenize('Movie movie'), ['Movie', 'movie']);
  assert.deepEqual(cased.tokenize('☃'), ['[UNK]']);
  writeFileSync(join(dir, 'tokenizer_config.json'), '{}');
  const uncased = await loadTokenizer(dir);
  assert.deepEqual(uncased.tokenize('Movie movie'), ['movie', 'movie']);
  assert.notEqual(cased.fingerprint, uncased.fingerprint, 'cached features are keyed apart');
});

test('a folder without tokenizer files is named with the fix', async () => {
  await assert.rejects(loadTokenizer(tempDir('empty')), /no tokenizer\.json or vocab\.txt.*tokenizer\.json \(or vocab\.txt\)/);
});
