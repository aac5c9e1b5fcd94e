import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { validateExperiment } from '../../../src/engine/experiment/validate';
import {
  buildExperiment, checkInteger, checkLearningRate, checkName, defaultBatchSize, inputSizeChoices, preprocessingChoices, stepsFor, WizardNavigator, type WizardAnswers,
  EARLY_STOPPING_NOTE, smallValidationWarning, validationCount,
} from '../../../src/extension/wizard/wizardModel';
import { CATALOG } from '../../../src/shared/catalog';

const scan = { root: '/ws/data', layout: 'class-folders', classes: ['a', 'b'], counts: { a: { train: 20, val: 0, test: 0 }, b: { train: 20, val: 0, test: 0 } }, problems: [] };

test('the strategy decides which steps exist: feature extraction skips the fine-tuning questions', () => {
  assert.deepEqual(stepsFor({ strategy: 'feature-extraction' }), ['path', 'dataset', 'scan', 'base', 'inputSize', 'strategy', 'epochs', 'learningRate', 'batchSize', 'name']);
  assert.deepEqual(stepsFor({ strategy: 'fine-tune' }), ['path', 'dataset', 'scan', 'base', 'inputSize', 'strategy', 'unfreeze', 'fineTuneEpochs', 'fineTuneLearningRate', 'batchSize', 'name']);
  assert.deepEqual(stepsFor({ strategy: 'both', unfreeze: { topLayers: 0 } }).slice(6), ['unfreeze', 'unfreezeCount', 'epochs', 'learningRate', 'fineTuneEpochs', 'fineTuneLearningRate', 'batchSize', 'name']);
});

test('Back returns to the step shown before, even after the answers changed the step list', () => {
  const answers: WizardAnswers = { path: 'full' };
  const nav = new WizardNavigator();
  assert.equal(nav.canGoBack, false);
  for (const expected of ['dataset', 'scan', 'base', 'inputSize', 'strategy']) assert.equal(nav.next(answers), expected);
  answers.strategy = 'both';
  assert.equal(nav.next(answers), 'unfreeze');
  assert.equal(nav.position(answers), '7/13');
  assert.equal(nav.back(), 'strategy');
  answers.strategy = 'feature-extraction';
  assert.equal(nav.next(answers), 'epochs');
  assert.equal(nav.position(answers), '7/10');
  for (let i = 0; i < 3; i++) nav.next(answers);
  assert.equal(nav.current, 'name');
  assert.equal(nav.next(answers), undefined, 'the last step ends the wizard');
});

test('the answers make a valid experiment: both phases in order, the data path relative to the file', () => {
  const answers: WizardAnswers = {
    dataRoot: '/ws/data/pets', scan, base: 'nsfwjs_mobilenet_v2', inputSize: 96, strategy: 'both', unfreeze: { topLayers: 12 },
    epochs: 6, learningRate: 0.002, fineTuneEpochs: 2, fineTuneLearningRate: 0.0002, name: 'pets',
  };
  const file = join('/ws', 'pets.experiment.json');
  const draft = buildExperiment(answers, file);
  const experiment = validateExperiment(draft, file);
  assert.equal(experiment.data.root, 'data/pets');
  assert.equal(experiment.data.inputSize, 96);
  assert.deepEqual(experiment.phases.map((p) => [p.name, p.epochs, p.learningRate, p.batchSize, p.trainable]), [
    ['feature-extraction', 6, 0.002, 8, { none: true }],
    ['fine-tune', 2, 0.0002, 8, { topLayers: 12 }],
  ]);
});

test('defaults fill what was not asked: fine-tuning only gets the recipe defaults and half the epochs', () => {
  const draft = buildExperiment({ dataRoot: '/ws/d', base: 'nsfwjs_mobilenet_v2', strategy: 'fine-tune', name: 'x' }, '/ws/x.experiment.json') as { phases: { name: string; epochs: number; learningRate: number; trainable: unknown }[] };
  assert.deepEqual(draft.phases, [{ name: 'fine-tune', epochs: 5, batchSize: 8, optimizer: 'adam', learningRate: 1e-4, trainable: { topBlocks: 2 } }]);
  assert.throws(() => buildExperiment({ dataRoot: '/ws/d' }, '/ws/x.experiment.json'), /needs a dataset, a base model and a name/);
});

test('batch sizes shrink for small datasets so an epoch has several steps', () => {
  assert.deepEqual([10, 64, 255, 256, 5000].map(defaultBatchSize), [8, 16, 16, 32, 32]);
});

test('input sizes offered: the model default first, then smaller ones within its limits', () => {
  const [mobilenet, inception] = CATALOG;
  assert.deepEqual(inputSizeChoices(mobilenet), [224, 160, 128, 96, 64]);
  assert.deepEqual(inputSizeChoices(inception), [299, 224, 160, 128, 96]);
});

test('inputs are validated with a message that says what to type', () => {
  assert.equal(checkInteger('12', 1, 1000), undefined);
  for (const bad of ['0', '1.5', 'ten', '', '1001']) assert.match(checkInteger(bad, 1, 1000)!, /whole number from 1 to 1000/);
  for (const good of ['0.001', '1e-4', '1']) assert.equal(checkLearningRate(good), undefined);
  for (const bad of ['0', '-1', '2', 'fast', '']) assert.match(checkLearningRate(bad)!, /above 0/);
  for (const good of ['pets', 'flowers-v2', 'chiens_et_chats', 'ümlaut.1']) assert.equal(checkName(good), undefined);
  for (const bad of ['', '../escape', 'a/b', '-dash', 'with space']) assert.ok(checkName(bad), bad);
});

test('a validation set too small to judge a run by is warned about at the scan: accuracy steps of 1/N and the way out', () => {
  const scan = (counts: Record<string, { train: number; val: number; test: number }>, layout: 'folder' | 'split-folders' = 'folder') =>
    ({ root: '/d', layout, classes: Object.keys(counts), counts, problems: [] }) as unknown as Parameters<typeof smallValidationWarning>[0];
  const colors = scan({ red: { train: 12, val: 0, test: 0 }, green: { train: 12, val: 0, test: 0 }, blue: { train: 12, val: 0, test: 0 } });
  assert.equal(validationCount(colors), 6, '20% of 12 per class, rounded, as the engine splits');
  assert.equal(smallValidationWarning(colors, 'images'),
    'Only about 6 validation images: accuracy moves in steps of 1/6 (17%), and early stopping may react to noise. Add images, hold out more (data.split.val, now 0.2) or give a val/ folder.');
  assert.equal(validationCount(scan({ a: { train: 3, val: 0, test: 0 } })), 1, 'every class keeps at least one validation example');
  // 10 classes × 4 = 40 in all, but 4 per class: one image is a quarter of a class's accuracy
  const tenClasses = scan(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`c${i}`, { train: 20, val: 0, test: 0 }])));
  assert.match(smallValidationWarning(tenClasses, 'images')!, /^Only 4 validation images in the smallest class: its accuracy moves in steps of 1\/4 \(25%\)/);
  assert.equal(smallValidationWarning(scan({ a: { train: 100, val: 0, test: 0 }, b: { train: 100, val: 0, test: 0 } }), 'images'), undefined);
  const split = scan({ a: { train: 50, val: 30, test: 5 }, b: { train: 50, val: 3, test: 5 } }, 'split-folders');
  assert.equal(validationCount(split), 33, 'val/ folders count as they are');
  assert.match(smallValidationWarning(split, 'images')!, /1\/3 \(33%\).* move more images into val\/\.$/);
  assert.match(EARLY_STOPPING_NOTE, /early stopping is on .* 3 epochs without a lower validation loss .* best epoch's weights/);
});

test('a model file gets a pixel-range step: the detected value first, a changed value is written, an accepted one is left to the run', () => {
  const detected = { value: 'scale-0-1' as const, source: 'batch-norm' as const, reason: 'the batch-norm statistics … fit scale-0-1 best' };
  const answers: WizardAnswers = { dataRoot: '/ws/data/pets', scan, base: '/ws/models/darknet/model.json', detectedPreprocessing: detected, strategy: 'feature-extraction', name: 'pets' };
  assert.deepEqual(stepsFor(answers).slice(3, 6), ['base', 'preprocessing', 'inputSize']);
  assert.ok(!stepsFor({ ...answers, detectedPreprocessing: undefined }).includes('preprocessing'), 'catalog bases know their own');
  const items = preprocessingChoices(detected);
  assert.deepEqual(items.map((i) => i.value), ['scale-0-1', 'scale-minus1-1', 'imagenet-mean-std', 'caffe-bgr', 'raw-0-255']);
  assert.deepEqual([items[0].description, items[0].detail], ['detected', detected.reason]);
  const file = join('/ws', 'pets.experiment.json');
  assert.equal((buildExperiment({ ...answers, preprocessing: 'scale-0-1' }, file).base as { preprocessing?: string }).preprocessing, undefined);
  const changed = buildExperiment({ ...answers, preprocessing: 'imagenet-mean-std' }, file);
  assert.equal(validateExperiment(changed, file).base.preprocessing, 'imagenet-mean-std');
});

test('a guessed pixel range says so in the picker', () => {
  const items = preprocessingChoices({ value: 'scale-minus1-1', source: 'default', reason: 'the model does not say …', guess: true });
  assert.equal(items[0].description, 'not detected: a guess');
});
