import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDelimited } from '../../../src/engine/text/delimited';
import { loadTextDataset } from '../../../src/engine/text/textDataset';
import { planTextData } from '../../../src/engine/text/textPlan';
import { resolveTextExperiment, validateTextExperiment } from '../../../src/engine/text/textExperiment';
import { scanTextDataset } from '../../../src/engine/text/textScan';
import { loadTokenizer } from '../../../src/engine/text/tokenizer';
import { SHARED_TEXT, SHARED_TOKENIZER, tempDir } from './fixtures';

function file(name: string, content: string): string {
  const path = join(tempDir('text-data'), name);
  writeFileSync(path, content);
  return path;
}

test('CSV per RFC 4180: quoted commas, doubled quotes, line breaks, CRLF; TSV takes quotes literally', () => {
  const csv = parseDelimited('text,label\r\n"a, b",x\r\n"say ""hi""\nthere",y\n\nplain,z', { delimiter: ',', quoting: true, file: 'x.csv' });
  assert.deepEqual(csv.map((r) => r.fields), [['text', 'label'], ['a, b', 'x'], ['say "hi"\nthere', 'y'], ['plain', 'z']]);
  assert.deepEqual(csv.map((r) => r.line), [1, 2, 3, 6]);
  const tsv = parseDelimited('ham\t"Wen u miss someone" gdeve..\nspam\tWIN', { delimiter: '\t', quoting: false, file: 'x.tsv' });
  assert.deepEqual(tsv.map((r) => r.fields), [['ham', '"Wen u miss someone" gdeve..'], ['spam', 'WIN']]);
});

test('the header is found by its names; columns can be named; empty, duplicate and conflicting texts are reported', async () => {
  const path = file('reviews.csv', 'id,review,sentiment\n1,good film,pos\n2,  ,neg\n3,bad film,neg\n4,good film,pos\n5,odd one,pos\n6,odd one,neg\n7,fine,\n8,dull,neg\n');
  const data = await loadTextDataset({ path });
  assert.deepEqual(data.columns, {
    header: ['id', 'review', 'sentiment'], text: 'review', label: 'sentiment', how: 'header', choices: ['id', 'review', 'sentiment'], textColumn: 'review', labelColumn: 'sentiment',
    examples: ['1', 'good film', 'pos'],
  });
  assert.deepEqual(data.classes, ['neg', 'pos']);
  assert.deepEqual(data.samples.map((s) => [s.path.split('#')[1], data.classes[s.label]]), [['row2', 'pos'], ['row4', 'neg'], ['row9', 'neg']]);
  assert.deepEqual(data.problems.map((p) => `${p.path.split('#')[1]} ${p.kind}`).sort(), ['row3 empty-text', 'row5 duplicate-text', 'row7 conflicting-labels', 'row8 missing-label']);
  const named = await loadTextDataset({ path, textColumn: 'id', labelColumn: 'Sentiment' });
  assert.equal(named.columns?.how, 'named');
  await assert.rejects(loadTextDataset({ path, textColumn: 'body' }), /no column named "body" \(the header has "id", "review", "sentiment"\)/);
});

test('without a header the label is the column with few values and the text the long one (the SMS layout)', async () => {
  const path = file('sms.tsv', 'ham\tsee you at lunch tomorrow\nspam\tWIN a FREE prize now call\nham\tok later\nspam\tfree entry win win\n');
  const data = await loadTextDataset({ path });
  assert.deepEqual(data.columns, { header: undefined, text: 'column 1', label: 'column 0', how: 'values', choices: [0, 1], textColumn: 1, labelColumn: 0, examples: ['ham', 'see you at lunch tomorrow'] });
  assert.deepEqual(data.classes, ['ham', 'spam']);
  assert.equal(data.texts.get(`${path}#row2`), 'WIN a FREE prize now call');
  const byIndex = await loadTextDataset({ path, textColumn: 1, labelColumn: 0 });
  assert.equal(byIndex.samples.length, 4);
});

test('JSONL with detected keys, numeric labels, and bad lines reported; class folders of .txt files', async () => {
  const jsonl = file('data.jsonl', '{"sentence": "great", "label": 1}\nnot json\n{"sentence": "awful", "label": 0}\n[1]\n{"sentence": 5, "label": 0}\n');
  const data = await loadTextDataset({ path: jsonl });
  assert.deepEqual(data.classes, ['0', '1']);
  assert.deepEqual(data.problems.map((p) => `${p.path.split('#')[1]} ${p.kind}`), ['line2 bad-record', 'line4 bad-record', 'line5 bad-record']);
  assert.deepEqual(data.columns?.examples, ['great', '1'], 'each key with its first value, for the wizard');
  const long = await loadTextDataset({ path: file('long.csv', `label,text
ham,"${'word '.repeat(30)}
and more"
spam,win
`) });
  assert.deepEqual(long.columns?.examples, ['ham', `${'word '.repeat(11)}word…`], 'one line, cut to 60 characters');
  const root = tempDir('folders');
  for (const [label, texts] of [['ham', ['hi there', 'see you']], ['spam', ['win now']]] as const) {
    mkdirSync(join(root, label, 'nested'), { recursive: true });
    texts.forEach((text, i) => writeFileSync(join(root, label, i ? join('nested', `${i}.txt`) : `${i}.txt`), text));
  }
  writeFileSync(join(root, 'spam', 'image.png'), '');
  writeFileSync(join(root, 'README.txt'), '');
  const folders = await loadTextDataset({ path: root });
  assert.equal(folders.format, 'folder');
  assert.deepEqual(folders.samples.map((s) => `${folders.classes[s.label]}:${folders.texts.get(s.path)}`), ['ham:hi there', 'ham:see you', 'spam:win now']);
  assert.deepEqual(folders.problems.map((p) => p.kind), ['unsupported-file', 'unsupported-file']);
});

test('one class, or an unknown extension, is refused with the fix', async () => {
  await assert.rejects(loadTextDataset({ path: file('one.csv', 'text,label\na,x\nb,x\n') }), /found 1 label\(s\) \(x\); a classifier needs at least 2/);
  await assert.rejects(loadTextDataset({ path: file('data.xlsx', '') }), /cannot tell the format of a "\.xlsx" file. Set data\.format/);
});

test('the experiment\'s text section: defaults, a stratified seeded split, held-out texts that repeat training texts left out', async () => {
  const rows = Array.from({ length: 40 }, (_, i) => `text number ${i},${i % 4 ? 'a' : 'b'}`);
  const dir = tempDir('plan');
  writeFileSync(join(dir, 'train.csv'), `text,label\n${rows.join('\n')}\n`);
  writeFileSync(join(dir, 'test.csv'), 'text,label\ntext number 3,a\nsomething new,b\n');
  const experiment = validateTextExperiment({ name: 't', data: { kind: 'text', train: 'train.csv', test: 'test.csv' }, base: { model: 'google/bert_uncased_L-2_H-128_A-2' }, phases: [{ epochs: 1 }] }, 'x.json');
  assert.equal(experiment.data.maxLength, 128);
  assert.equal(experiment.head.pooling, 'mean');
  assert.deepEqual(experiment.phases[0].trainable, { none: true });
  const loaded = resolveTextExperiment(experiment, join(dir, 't.experiment.json'));
  assert.equal(loaded.baseRef, 'google/bert_uncased_L-2_H-128_A-2', 'a hub id stays an id');
  const plan = await planTextData(loaded);
  assert.equal(plan.val.length, 8);
  assert.deepEqual([plan.val.filter((s) => s.label === 1).length, plan.train.filter((s) => s.label === 1).length], [2, 8], 'both classes keep their share');
  assert.deepEqual(plan.test.map((s) => plan.texts.get(s.path)), ['something new']);
  assert.ok(plan.problems.some((p) => p.kind === 'duplicate-text' && p.path.endsWith('test.csv#row2')));
  assert.deepEqual((await planTextData(loaded)).val, plan.val, 'the split depends on the seed alone');
  assert.throws(() => validateTextExperiment({ name: 't', data: { kind: 'text', root: 'x.csv', maxLength: 4 }, base: { model: 'm' }, phases: [{ epochs: 1 }] }, 'x.json'), /data\.maxLength: must be >= 8/);
});

test('scan report of the real SMS spam file: classes, counts, duplicates and token lengths', { skip: existsSync(join(SHARED_TEXT, 'sms_spam.tsv')) && existsSync(SHARED_TOKENIZER) ? false : 'shared data absent' }, async () => {
  const scan = await scanTextDataset({ path: join(SHARED_TEXT, 'sms_spam.tsv') }, { tokenizer: await loadTokenizer(SHARED_TOKENIZER), maxLength: 64 });
  assert.deepEqual(scan.classes, ['ham', 'spam']);
  assert.equal(scan.layout, 'tsv');
  assert.equal(scan.columns?.label, 'column 0');
  const duplicates = scan.problems.filter((p) => p.kind === 'duplicate-text').length;
  assert.equal(scan.counts.ham.train + scan.counts.spam.train + duplicates + scan.problems.filter((p) => p.kind === 'conflicting-labels').length, 5574);
  assert.ok(duplicates > 300, `the SMS collection repeats many messages (${duplicates})`);
  assert.ok(scan.tokens!.mean > 10 && scan.tokens!.mean < 40 && scan.tokens!.truncated > 0);
});
