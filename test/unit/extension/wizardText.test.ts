// The New Experiment wizard's text path without its UI: detecting text datasets, the column choices the host's scan
// offers, and experiments the text engine accepts and reads the same data from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointFolders, missingCheckpointFiles, TEXT_CATALOG } from '../../../src/engine/text/textCatalog';
import { resolveTextExperiment, validateTextExperiment } from '../../../src/engine/text/textExperiment';
import { planTextData } from '../../../src/engine/text/textPlan';
import { datasetCandidates, datasetKind } from '../../../src/extension/wizard/datasetCandidates';
import { buildExperiment, chooseDataset, columnChoices, defaultName, stepsFor, tokenLengths, WizardNavigator, type WizardAnswers } from '../../../src/extension/wizard/wizardModel';
import { scanText } from '../../../src/host/textRequests';
import { keywordTexts, tempDir } from '../text/fixtures';

test('text datasets are told from image ones: text files, and folders whose class folders hold .txt files', async () => {
  const dir = tempDir('wizard-kind');
  for (const [folder, file] of [['mail/ham', 'a.txt'], ['mail/spam', 'b.txt'], ['mail/spam', 'c.txt'], ['pets/cat', '1.png'], ['pets/dog', '2.jpg'], ['pets/dog', 'notes.txt']]) {
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, file), 'x');
  }
  writeFileSync(join(dir, 'reviews.csv'), 'text,label\n');
  assert.deepEqual(await Promise.all(['mail', 'pets', 'reviews.csv'].map((p) => datasetKind(join(dir, p)))), ['text', 'image', 'text']);

  const candidates = datasetCandidates(['/ws/pets/cat/1.png', '/ws/pets/dog/2.png'], ['/ws/mail/ham/a.txt', '/ws/mail/spam/b.txt', '/ws/mail/spam/c.txt', '/ws/data/reviews.csv', '/ws/README.txt', '/ws/b.jsonl']);
  assert.deepEqual(candidates, [
    { root: '/ws/mail', kind: 'text', classes: 2, files: 3 },
    { root: '/ws/pets', kind: 'image', classes: 2, files: 2 },
    { root: '/ws/b.jsonl', kind: 'text', files: 1 },
    { root: '/ws/data/reviews.csv', kind: 'text', files: 1 },
  ]);
});

test('a text file asks for its columns before the scan and a token length instead of an image size; class folders skip the columns', () => {
  const csv: WizardAnswers = { path: 'full', kind: 'text', dataRoot: '/ws/reviews.csv', strategy: 'both', unfreeze: { topLayers: 0 } };
  assert.deepEqual(stepsFor(csv), [
    'path', 'dataset', 'textColumn', 'labelColumn', 'scan', 'base', 'maxLength', 'strategy', 'unfreeze',
    'epochs', 'learningRate', 'fineTuneEpochs', 'fineTuneLearningRate', 'batchSize', 'name',
  ]);
  assert.deepEqual(stepsFor({ kind: 'text', dataRoot: '/ws/mail', strategy: 'feature-extraction' }).slice(1, 6), ['dataset', 'scan', 'base', 'maxLength', 'strategy']);
  const nav = new WizardNavigator('dataset');
  assert.equal(nav.next(csv), 'textColumn');
  assert.equal(nav.next(csv), 'labelColumn');
  assert.equal(nav.back(), 'textColumn', 'Back works through the text steps');
  assert.equal(nav.position(csv), '3/15');
});

test('choosing another dataset forgets what fit the old one: columns always, the base when the kind changes', () => {
  const answers: WizardAnswers = {};
  chooseDataset(answers, '/ws/pets', 'image');
  Object.assign(answers, { base: 'nsfwjs_mobilenet_v2', inputSize: 96, epochs: 4 });
  chooseDataset(answers, '/ws/reviews.csv', 'text');
  assert.deepEqual([answers.kind, answers.base, answers.inputSize, answers.epochs], ['text', undefined, undefined, 4]);
  Object.assign(answers, { base: TEXT_CATALOG[0].id, textColumn: 'review', labelColumn: 'stars' });
  chooseDataset(answers, '/ws/other.csv', 'text');
  assert.deepEqual([answers.base, answers.textColumn, answers.labelColumn], [TEXT_CATALOG[0].id, undefined, undefined]);
  assert.equal(defaultName('/ws/my reviews.csv'), 'my-reviews');
  assert.equal(defaultName('/ws/pets'), 'pets');
});

test('the host scan of a CSV offers its header, detected columns marked; the label list leaves out the text column', async () => {
  const file = join(tempDir('wizard-csv'), 'reviews.csv');
  writeFileSync(file, `id,review,stars,source\n${keywordTexts(40, 3).map(([text, label], i) => `${i},"${text}",${label},web`).join('\n')}\n`);
  const scan = await scanText({ root: file, kind: 'text' });
  const detected = { ...scan.columns!, root: file };
  assert.deepEqual(detected.choices, ['id', 'review', 'stars', 'source']);
  assert.deepEqual(columnChoices(detected, 'text').filter((c) => c.detected).map((c) => c.value), ['review']);
  assert.equal(detected.labelColumn, 'stars', 'a constant column ("source") is never the guessed label');
  const labels = columnChoices(detected, 'label', 'review');
  assert.deepEqual(labels.map((c) => [c.label, c.example]), [['id', '0'], ['stars', 'negative'], ['source', 'web']]);

  const answers: WizardAnswers = {
    kind: 'text', dataRoot: file, textColumn: 'review', labelColumn: 'stars', base: TEXT_CATALOG[0].id, maxLength: 64, strategy: 'both', name: 'reviews',
    scan: await scanText({ root: file, kind: 'text', textColumn: 'review', labelColumn: 'stars' }),
  };
  const experimentFile = join(file, '..', 'reviews.experiment.json');
  const experiment = validateTextExperiment(buildExperiment(answers, experimentFile), experimentFile);
  assert.deepEqual(experiment.data, { kind: 'text', root: 'reviews.csv', textColumn: 'review', labelColumn: 'stars', split: { val: 0.2, test: 0 }, maxLength: 64 });
  assert.deepEqual(experiment.base, { model: 'google/bert_uncased_L-2_H-128_A-2' });
  assert.equal(experiment.head.pooling, 'mean');
  assert.deepEqual(experiment.phases.map((p) => [p.name, p.batchSize, p.trainable]), [['feature-extraction', 8, { none: true }], ['fine-tune', 8, { topBlocks: 1 }]]);
  const plan = await planTextData(resolveTextExperiment(experiment, experimentFile));
  assert.deepEqual(plan.classes, ['negative', 'positive'], 'the engine reads the labels from the chosen column');
  assert.equal(plan.train.length + plan.val.length, 40);
});

test('a file without a header offers 0-based columns, written as numbers the engine reads', async () => {
  const file = join(tempDir('wizard-tsv'), 'sms.tsv');
  writeFileSync(file, `${keywordTexts(20, 5).map(([text, label]) => `${label}\t${text}`).join('\n')}\n`);
  const detected = { ...(await scanText({ root: file, kind: 'text' })).columns!, root: file };
  assert.deepEqual(columnChoices(detected, 'text'), [
    { value: 0, label: 'column 0', detected: false, example: 'negative' },
    { value: 1, label: 'column 1', detected: true, example: 'very actors actors the terrible was movie 0' },
  ], 'each column shown with its first value, since its name says nothing');
  const answers: WizardAnswers = { kind: 'text', dataRoot: file, textColumn: 1, labelColumn: 0, base: '/models/bert', strategy: 'feature-extraction', name: 'sms' };
  const experimentFile = join(file, '..', 'sms.experiment.json');
  const experiment = validateTextExperiment(buildExperiment(answers, experimentFile), experimentFile);
  assert.deepEqual([experiment.data.textColumn, experiment.data.labelColumn, experiment.data.maxLength, experiment.phases.length], [1, 0, 128, 1]);
  assert.deepEqual((await planTextData(resolveTextExperiment(experiment, experimentFile))).classes, ['negative', 'positive']);
});

test('a class-folder text dataset writes no columns; a local checkpoint folder must hold weights, config and a tokenizer', () => {
  const experiment = validateTextExperiment(buildExperiment({ kind: 'text', dataRoot: '/ws/mail', base: TEXT_CATALOG[0].id, strategy: 'fine-tune', name: 'mail' }, '/ws/mail.experiment.json'), '/ws/mail.experiment.json');
  assert.deepEqual(experiment.data, { kind: 'text', root: 'mail', split: { val: 0.2, test: 0 }, maxLength: 128 });
  assert.deepEqual(missingCheckpointFiles(['config.json', 'model.safetensors', 'vocab.txt']), []);
  assert.deepEqual(missingCheckpointFiles(['config.json', 'pytorch_model.bin', 'tokenizer_config.json']), ['model.safetensors', 'tokenizer.json or vocab.txt']);
});

test('checkpoint folders in the workspace are offered only when complete: config, safetensors weights and a tokenizer', () => {
  const files = [
    '/ws/models/tiny-bert/config.json', '/ws/models/tiny-bert/model.safetensors', '/ws/models/tiny-bert/vocab.txt',
    '/ws/models/half/config.json', '/ws/models/half/vocab.txt',
    '/ws/a/bert/tokenizer.json', '/ws/a/bert/model.safetensors', '/ws/a/bert/config.json',
    '/ws/torch/config.json', '/ws/torch/pytorch_model.bin', '/ws/torch/tokenizer.json',
  ];
  assert.deepEqual(checkpointFolders(files), ['/ws/a/bert', '/ws/models/tiny-bert']);
});

test('token lengths offered stop at the positions the base has; a base with fewer than 64 offers its own limit', () => {
  assert.deepEqual(tokenLengths(512), [128, 64, 256, 512]);
  assert.deepEqual(tokenLengths(128), [128, 64]);
  assert.deepEqual(tokenLengths(100), [64]);
  assert.deepEqual(tokenLengths(32), [32]);
});
