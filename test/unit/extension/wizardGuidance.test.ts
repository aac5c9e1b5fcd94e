import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { validateExperiment } from '../../../src/engine/experiment/validate';
import { blockNote, estimateFor, quickSummary } from '../../../src/extension/wizard/guidance';
import { DECODE_COST, firstPassSeconds, formatDuration, firstPassText } from '../../../src/extension/wizard/timeEstimate';
import { buildExperiment, STEP_DEFAULTS, stepsFor, withDefaults, WizardNavigator, type WizardAnswers } from '../../../src/extension/wizard/wizardModel';
import { findCatalogEntry } from '../../../src/shared/catalog';
import type { MachineSpeed, ScanDatasetResult } from '../../../src/protocol/host';

const scan = (perClass: number, classes = 3): ScanDatasetResult => ({
  root: '/ws/flowers', layout: 'folder', classes: Array.from({ length: classes }, (_, i) => `c${i}`), problems: [],
  counts: Object.fromEntries(Array.from({ length: classes }, (_, i) => [`c${i}`, { train: perClass, val: 0, test: 0 }])),
  classBalance: { ratio: 1, largest: 'c0', smallest: 'c1', defaultWeights: 'none', note: 'balanced' },
});
const speed: MachineSpeed = { gflops: 40, threads: 2, backend: 'wasm' };
const mobilenetV2 = findCatalogEntry('mobilenet_v2')!;

test('the first pass costs images × (forward cost scaled by size² + decoding) over the machine speed on all its threads', () => {
  const pass = { images: 480, inputSize: 224, forwardCost: mobilenetV2.forwardCost };
  const seconds = firstPassSeconds(pass, speed);
  assert.equal(seconds, (480 * (mobilenetV2.forwardCost + DECODE_COST)) / 80);
  const half = firstPassSeconds({ ...pass, inputSize: 112 }, speed);
  assert.equal(half, (480 * (mobilenetV2.forwardCost / 4 + DECODE_COST)) / 80, 'half the side is a quarter of the forward work');
  assert.equal(firstPassSeconds(pass, { ...speed, threads: 1 }), 2 * seconds, 'one thread takes twice as long as two');
  assert.equal(firstPassSeconds(pass, { ...speed, threads: 0 }), firstPassSeconds(pass, { ...speed, threads: 1 }));
  assert.equal(firstPassText(pass, undefined), undefined, 'no estimate without a measured machine');
});

test('durations are said with the precision they have', () => {
  const cases: [number, string][] = [[0.4, '< 1 s'], [3.4, '≈ 3 s'], [41, '≈ 40 s'], [43, '≈ 45 s'], [95, '≈ 1.6 min'], [600, '≈ 10 min'], [3000, '≈ 50 min'], [5400, '≈ 1.5 h'], [40_000, '≈ 11 h']];
  for (const [seconds, text] of cases) assert.equal(formatDuration(seconds), text, `${seconds} s`);
});

test('the size and base steps show "≈ … on this machine" for catalog image bases, nothing for model files or texts', () => {
  const a: WizardAnswers = { kind: 'image', dataRoot: '/ws/flowers', scan: scan(160), base: 'mobilenet_v2' };
  const at = (size: number) => estimateFor(a, speed, undefined, size);
  assert.equal(at(224), `${formatDuration(firstPassSeconds({ images: 480, inputSize: 224, forwardCost: mobilenetV2.forwardCost }, speed))} on this machine`);
  assert.match(at(224)!, /^≈ \d+(\.\d)? (s|min) on this machine$/);
  const seconds = (size: number) => firstPassSeconds({ images: 480, inputSize: size, forwardCost: mobilenetV2.forwardCost }, speed);
  assert.ok(seconds(96) < seconds(160) && seconds(160) < seconds(224), 'smaller images are cheaper');
  assert.ok(estimateFor(a, speed, 'vgg16') !== undefined && findCatalogEntry('vgg16')!.forwardCost > mobilenetV2.forwardCost, 'each base its own cost');
  assert.equal(estimateFor({ ...a, base: '/ws/models/own.keras' }, speed), undefined, 'a model file has no catalog cost');
  assert.equal(estimateFor({ ...a, kind: 'text', base: 'bert-tiny' }, speed), undefined);
  assert.equal(estimateFor(a, undefined), undefined, 'a host that did not answer: no figure');
});

test('"blocks" is explained where the wizard asks for them: what one is for the chosen base, how many there are', () => {
  assert.equal(blockNote({ base: 'mobilenet_v2' }, 2),
    'A block = one inverted-residual stage of MobileNetV2 (expand, depthwise, project; the stem and the final 1×1 conv are one each): the top 2 of 19 train, the other 17 stay frozen.');
  assert.match(blockNote({ base: 'resnet50' }, 1), /residual bottleneck unit of ResNet50 .*: the top 1 of 17 train, the other 16 stay frozen\.$/);
  assert.match(blockNote({ base: '/ws/own.keras', baseBlocks: 7 }, 2), /^A block = a group of layers sharing a name prefix .*: the top 2 of 7 train, the other 5 stay frozen\.$/);
});

test('Quick setup asks dataset and base, then shows its defaults before Create; Full setup from there goes on after the base', () => {
  const answers: WizardAnswers = { path: 'quick', kind: 'image', dataRoot: '/ws/flowers', scan: scan(160), base: 'mobilenet_v2' };
  assert.deepEqual(stepsFor(answers), ['path', 'dataset', 'scan', 'base', 'create']);
  assert.deepEqual(stepsFor({ ...answers, datasetGiven: true }), ['path', 'scan', 'base', 'create'], 'run on a dataset: no dataset step');
  const nav = new WizardNavigator();
  assert.equal(nav.position({ kind: 'image' }), '1/5 or 13', 'before Quick or Full is chosen, both lengths');
  for (const step of ['dataset', 'scan', 'base', 'create']) assert.equal(nav.next(answers), step);
  assert.equal(nav.position(answers), '5/5');
  answers.path = 'full'; // "Full setup: change any of these"
  assert.equal(nav.next(answers), 'inputSize');
  assert.equal(nav.position(answers), '5/13');
  assert.equal(nav.back(), 'base', 'Back skips the summary the full path does not have');
  answers.path = 'quick';
  assert.equal(nav.next(answers), 'create');
  assert.equal(nav.next(answers), undefined, 'Create ends the wizard');
});

test('Quick setup writes the experiment the full path writes when every default is accepted: images, model files, texts', () => {
  const file = join('/ws', 'flowers.experiment.json');
  const image: WizardAnswers = { kind: 'image', dataRoot: '/ws/flowers', scan: scan(160), base: 'mobilenet_v2' };
  // what the full path's steps show prefilled or active, typed out: 224 × 224, both phases, top 2 blocks, 20 and 5 epochs …
  const full = { inputSize: 224, strategy: 'both', unfreeze: { topBlocks: 2 }, epochs: 20, learningRate: 0.001, fineTuneEpochs: 5, fineTuneLearningRate: 0.0001, batchSize: 32, name: 'flowers' } as const;
  const quick = buildExperiment(withDefaults({ ...image, path: 'quick' }), file);
  assert.deepEqual(quick, buildExperiment({ ...image, ...full, path: 'full' }, file));
  assert.equal(validateExperiment(quick, file).data.inputSize, 224);
  const detected = { value: 'scale-0-1' as const, source: 'batch-norm' as const, reason: '…' };
  const modelFile: WizardAnswers = { ...image, base: '/ws/models/own.keras', baseBlocks: 1, detectedPreprocessing: detected };
  const ownSize = { ...full, inputSize: undefined, preprocessing: 'scale-0-1', unfreeze: { topBlocks: 1 } } as const;
  assert.deepEqual(buildExperiment(withDefaults({ ...modelFile, path: 'quick' }), file), buildExperiment({ ...modelFile, ...ownSize }, file));
  const text: WizardAnswers = { kind: 'text', dataRoot: '/ws/reviews.csv', textColumn: 'review', labelColumn: 'stars', scan: scan(40, 2), base: 'bert-tiny' };
  const textFull = { ...full, inputSize: undefined, maxLength: 128, unfreeze: { topBlocks: 1 }, batchSize: 16, name: 'reviews' } as const;
  assert.deepEqual(buildExperiment(withDefaults({ ...text, path: 'quick' }), file), buildExperiment({ ...text, ...textFull }, file));
});

test('every question of the full path after the base has the default Quick setup writes', () => {
  for (const answers of [{ kind: 'image', base: 'mobilenet_v2' }, { kind: 'text', base: 'bert-tiny' }] as WizardAnswers[]) {
    const filled = withDefaults(answers);
    const asked = stepsFor({ ...filled, path: 'full' }).slice(stepsFor(filled).indexOf('base') + 1);
    for (const step of asked) assert.ok(step in STEP_DEFAULTS, `${step} has a default`);
    assert.equal(filled.path, undefined, 'the path chosen is kept');
  }
});

test("Quick setup's summary names strategy, epochs, size with its time, blocks, augmentation, class weights and batch size", () => {
  const a = withDefaults({ path: 'quick', kind: 'image', dataRoot: '/ws/flowers', scan: scan(160), base: 'mobilenet_v2', name: 'flowers' });
  const rows = quickSummary(a, speed);
  assert.deepEqual(rows.map((r) => r.label), [
    'Strategy: feature extraction (20 epochs, rate 0.001), then fine-tuning of the top 2 blocks (5 epochs, rate 0.0001)',
    'Blocks: the top 2 train during fine-tuning',
    'Image size: 224 × 224',
    'Augmentation: none',
    'Class weights: none',
    'Batch size 32 · 20% held out for validation',
  ]);
  assert.match(rows[0].detail!, /early stopping ends a phase after 3 epochs/);
  assert.equal(rows[2].detail, `First pass over 480 images ${estimateFor(a, speed)}; later epochs read cached features`);
  assert.match(rows[3].detail!, /4 augmented views/);
  const tiny = quickSummary(withDefaults({ kind: 'image', dataRoot: '/ws/colors', scan: scan(12), base: 'mobilenet_v2' }), undefined);
  assert.match(tiny.at(-1)!.detail!, /^Only about 6 validation images/, 'the small-validation warning is repeated before Create');
  assert.equal(tiny[2].detail, undefined, 'no time without a measured machine');
  const guess = { value: 'scale-minus1-1' as const, source: 'default' as const, reason: 'the model does not say …', guess: true };
  const own = quickSummary(withDefaults({ kind: 'image', dataRoot: '/ws/colors', scan: scan(40), base: '/ws/own.keras', baseBlocks: 9, detectedPreprocessing: guess }), speed);
  assert.ok(own.some((r) => r.label === 'Pixel range: scale-minus1-1 (not detected: a guess)'), 'a guessed pixel range is not accepted silently');
  assert.ok(own.some((r) => r.label === "Image size: the model's own"));
});
