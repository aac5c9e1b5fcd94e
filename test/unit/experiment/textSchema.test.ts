// One schema for both kinds of experiment: what the editor checks (the schema as a plain draft-07 validator reads
// it, no defaults) and what the engine checks (validateAnyExperiment) agree on text and image files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import schema from '../../../src/protocol/experiment.schema.json';
import { ExperimentError, validateAnyExperiment, validateExperiment } from '../../../src/engine/experiment/validate';
import { validateTextExperiment } from '../../../src/engine/text/textExperiment';
import { writeTextSample } from '../../../src/engine/text/textSample';
import { tempDir } from '../text/fixtures';

const editorCheck = new Ajv({ allErrors: true, strict: false }).compile(schema);
const text = { name: 'reviews', data: { kind: 'text', root: 'reviews.csv' }, base: { model: 'google/bert_uncased_L-2_H-128_A-2' }, phases: [{ epochs: 2 }] };
const image = { name: 'pets', data: { root: 'photos' }, base: { model: 'nsfwjs_mobilenet_v2' }, phases: [{ epochs: 2 }] };

function problemsOf(value: unknown): string[] {
  assert.equal(editorCheck(value), false, 'the editor flags it too');
  try {
    validateAnyExperiment(value, 'x.experiment.json');
  } catch (error) {
    assert.ok(error instanceof ExperimentError);
    return error.problems;
  }
  assert.fail('expected the experiment to be rejected');
}

test('the text sample (`transfer-lab sample --kind text`) is valid for the editor and the engine', async () => {
  const file = await writeTextSample(tempDir('schema-sample'), 1);
  const json = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(editorCheck(json), true, JSON.stringify(editorCheck.errors));
  assert.deepEqual(validateTextExperiment(json, file), json, 'the sample spells out every default');
});

test('a minimal text experiment gets the text defaults, not the image ones', () => {
  assert.equal(editorCheck(text), true, JSON.stringify(editorCheck.errors));
  const experiment = validateTextExperiment(text, 'x.experiment.json');
  assert.deepEqual(experiment.data, { kind: 'text', root: 'reviews.csv', split: { val: 0.2, test: 0 }, maxLength: 128 });
  assert.deepEqual(experiment.head, { pooling: 'mean', hiddenUnits: 0, dropout: 0.1 });
  assert.deepEqual(experiment.phases[0].trainable, { none: true });
  const columns = { ...text, data: { ...text.data, textColumn: 'review', labelColumn: 0, format: 'csv' } };
  assert.equal(editorCheck(columns), true);
  assert.deepEqual(validateTextExperiment(columns, 'x.experiment.json').data.labelColumn, 0);
});

test('invalid text experiments are rejected with messages that name the field', () => {
  assert.deepEqual(problemsOf({ ...text, data: { ...text.data, maxLength: 4, inputSize: 96 }, base: { ...text.base, sha256: 'ab' }, head: { pooling: 'avg' } }), [
    'data: unknown field "inputSize" — remove it or check its spelling',
    'data.maxLength: must be >= 8',
    'base: unknown field "sha256" — remove it or check its spelling',
    'head.pooling: must be one of "mean", "cls", "pooled"',
  ]);
  assert.deepEqual(problemsOf({ ...text, data: { ...text.data, textColumn: -1, labelColumn: '' } }), [
    'data.textColumn: must be a column name (header or JSON key) or a 0-based column index',
    'data.labelColumn: must be a column name (header or JSON key) or a 0-based column index',
  ]);
  assert.deepEqual(problemsOf({ ...text, data: { kind: 'txt', root: 'x.csv' } }), ['data.kind: must be one of "image", "text"']);
  assert.ok(problemsOf({ ...text, data: { kind: 'text' } }).includes('data: give "root" (the labelled data) or "train" (and optionally "val", "test")'));
});

test('image experiments keep their own sections: text fields are errors there, and data.kind "image" is allowed', () => {
  assert.deepEqual(problemsOf({ ...image, data: { root: 'photos', maxLength: 64 }, head: { pooling: 'mean' } }), [
    'data: unknown field "maxLength" — remove it or check its spelling',
    'head.pooling: must be one of "avg", "max", "flatten"',
  ]);
  const explicit = { ...image, data: { kind: 'image', root: 'photos' } };
  assert.equal(editorCheck(explicit), true);
  assert.equal(validateExperiment(explicit, 'x.experiment.json').head.pooling, 'avg');
});

test('each engine refuses the other kind, naming data.kind', () => {
  assert.throws(() => validateExperiment(text, 'x.experiment.json'), /data\.kind: "text" — a text experiment/);
  assert.throws(() => validateTextExperiment(image, 'x.experiment.json'), /data\.kind: must be "text"/);
});
