import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import schema from '../../../src/protocol/experiment.schema.json';
import { ExperimentError, validateExperiment } from '../../../src/engine/experiment/validate';
import { loadExperimentFile } from '../../../src/engine/experiment/load';
import { strategyPhases, writeExperimentFile } from '../../../src/engine/experiment/writeExperiment';
import { PREPROCESSINGS } from '../../../src/shared/preprocessing';

const minimal = { name: 'flowers', data: { root: 'data' }, base: { model: 'nsfwjs_mobilenet_v2' }, phases: [{ epochs: 3 }] };

function problemsOf(value: unknown): string[] {
  try {
    validateExperiment(value, 'x.experiment.json');
  } catch (error) {
    assert.ok(error instanceof ExperimentError);
    assert.match(error.message, /^x\.experiment\.json: /);
    return error.problems;
  }
  assert.fail('expected the experiment to be rejected');
}

test('a minimal experiment gets the documented defaults', () => {
  const experiment = validateExperiment(minimal, 'x.experiment.json');
  assert.equal(experiment.seed, 42);
  assert.equal(experiment.engine, 'auto');
  assert.deepEqual(experiment.data.split, { val: 0.2, test: 0 });
  assert.deepEqual(experiment.head, { pooling: 'avg', hiddenUnits: 0, dropout: 0.2 });
  assert.deepEqual(experiment.phases[0], { epochs: 3, batchSize: 32, optimizer: 'adam', learningRate: 0.001, trainable: { none: true } });
  assert.equal(experiment.data.augmentation.flip, false);
  assert.deepEqual(experiment.callbacks.checkpoint, { keep: 2 });
});

test('validation does not modify its input', () => {
  const input = structuredClone(minimal);
  validateExperiment(input, 'x.experiment.json');
  assert.deepEqual(input, minimal);
});

test('errors name the field and say the fix', () => {
  assert.deepEqual(problemsOf({ ...minimal, phases: [{ epochs: 3, learningRte: 0.1 }] }), ['phases[0]: unknown field "learningRte" — remove it or check its spelling']);
  assert.deepEqual(problemsOf({ ...minimal, engine: 'gpu' }), ['engine: must be one of "auto", "tfjs-node-gpu", "tfjs-node", "wasm", "cpu"']);
  assert.deepEqual(problemsOf({ ...minimal, base: {} }), ['base: missing "model" — add it (see the schema\'s description in your editor)']);
  const [trainable] = problemsOf({ ...minimal, phases: [{ epochs: 1, trainable: { topLayers: -2 } }] });
  assert.match(trainable, /^phases\[0\]\.trainable: must be one of \{"none": true\}.*\{"topLayers": N\}/);
  assert.ok(problemsOf({ ...minimal, data: { split: { val: 0.2 } } }).some((p) => p.startsWith('data: give "root"')));
});

test('every problem is reported at once', () => {
  const problems = problemsOf({ ...minimal, seed: -1, phases: [{ epochs: 0 }] });
  assert.equal(problems.length, 2);
  assert.ok(problems.some((p) => p.startsWith('seed:')) && problems.some((p) => p.startsWith('phases[0].epochs:')));
});

test('files: bad JSON names the file; paths resolve against the file, catalog ids and URLs stay as they are', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tl-exp-'));
  const broken = join(dir, 'broken.experiment.json');
  await writeFile(broken, '{ "name": ');
  await assert.rejects(loadExperimentFile(broken), (error: Error) => error.message.startsWith(`${broken}: not valid JSON`));
  await assert.rejects(loadExperimentFile(join(dir, 'missing.experiment.json')), /\(ENOENT\) — check the path/);

  const file = join(dir, 'ok.experiment.json');
  for (const [model, expected] of [['nsfwjs_mobilenet_v2', 'nsfwjs_mobilenet_v2'], ['https://example.test/m/model.json', 'https://example.test/m/model.json'], ['models/model.json', join(dir, 'models/model.json')]]) {
    await writeFile(file, JSON.stringify({ ...minimal, base: { model } }));
    const loaded = await loadExperimentFile(file);
    assert.equal(loaded.folders.root, join(dir, 'data'));
    assert.equal(loaded.baseModelRef, expected);
  }
});

test('a file without "version" keeps its meaning: the old ids load the bases they named, under their new ids', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tl-exp-'));
  const file = join(dir, 'old.experiment.json');
  const cases = [['mobilenet_v2', 'nsfwjs_mobilenet_v2'], ['inception_v3', 'nsfwjs_inception_v3'], ['mobilenet_v2_1.0', 'mobilenet_v2'], ['inception_v3_imagenet', 'inception_v3']];
  for (const [old, now] of cases) {
    await writeFile(file, JSON.stringify({ ...minimal, base: { model: old } }));
    const loaded = await loadExperimentFile(file);
    assert.deepEqual([loaded.baseModelRef, loaded.experiment.version, loaded.renamed], [now, 2, { from: old, to: now }], old);
  }
  await writeFile(file, JSON.stringify({ ...minimal, version: 2, base: { model: 'mobilenet_v2' } }));
  const current = await loadExperimentFile(file);
  assert.deepEqual([current.baseModelRef, current.renamed], ['mobilenet_v2', undefined], 'version 2: mobilenet_v2 is the ImageNet build');
  assert.deepEqual(problemsOf({ ...minimal, version: 3 }), ['version: must be one of 1, 2']);
});

test('init writes the current version', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tl-exp-'));
  await mkdir(join(dir, 'data'));
  const file = join(dir, 'new.experiment.json');
  await writeExperimentFile({ file, data: join(dir, 'data'), base: 'mobilenet_v2', strategy: 'feature-extraction', epochs: 1 });
  assert.equal(JSON.parse(await readFile(file, 'utf8')).version, 2);
});

test('the CLI recipes are valid experiments and fine-tuning uses a tenth of the head learning rate', () => {
  for (const strategy of ['feature-extraction', 'fine-tune'] as const) {
    const phases = strategyPhases(strategy, 10);
    const experiment = validateExperiment({ ...minimal, phases }, 'x.experiment.json');
    assert.equal(experiment.phases.length, strategy === 'fine-tune' ? 2 : 1);
  }
  const [head, tune] = strategyPhases('fine-tune', 10);
  assert.deepEqual(head.trainable, { none: true });
  assert.equal(tune.learningRate, head.learningRate / 10);
  assert.ok(!('none' in tune.trainable));
});

test('the schema lists every field the TypeScript Experiment type has', () => {
  const experiment = validateExperiment({ ...minimal, callbacks: { earlyStopping: {} } }, 'x.experiment.json');
  const { properties, definitions } = schema as unknown as { properties: Record<string, { properties?: Record<string, unknown> }>; definitions: Record<string, { properties: Record<string, unknown> }> };
  for (const key of Object.keys(experiment)) assert.ok(key in properties, `schema lacks ${key}`);
  for (const key of Object.keys(experiment.head)) assert.ok(key in definitions.imageHead.properties, `schema lacks head.${key}`);
  const callbacks = properties.callbacks.properties as Record<string, { properties: Record<string, unknown> }>;
  for (const key of Object.keys(experiment.callbacks.earlyStopping!)) assert.ok(key in callbacks.earlyStopping.properties, `schema lacks earlyStopping.${key}`);
});

test('base.preprocessing takes exactly the shared list of values, in the schema and the type', () => {
  const imageBase = (schema as unknown as { definitions: Record<string, { properties: Record<string, { enum?: string[] }> }> }).definitions.imageBase;
  assert.deepEqual(imageBase.properties.preprocessing.enum, [...PREPROCESSINGS]);
  const experiment = validateExperiment({ ...minimal, base: { model: 'nsfwjs_mobilenet_v2', preprocessing: 'imagenet-mean-std' } }, 'x.experiment.json');
  assert.equal(experiment.base.preprocessing, 'imagenet-mean-std');
  assert.deepEqual(problemsOf({ ...minimal, base: { model: 'nsfwjs_mobilenet_v2', preprocessing: 'torch' } }), [`base.preprocessing: must be one of ${PREPROCESSINGS.map((v) => `"${v}"`).join(', ')}`]);
});
