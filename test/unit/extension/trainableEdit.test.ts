import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from 'jsonc-parser/lib/esm/main.js';
import { phaseFieldEdits, trainableEdits, withTrainable } from '../../../src/extension/edits/trainableEdit';

const file = `{
    "name": "pets",
    "phases": [
        { "epochs": 3, "trainable": { "none": true } },
        { "epochs": 2, "trainable": { "topBlocks": 2 } }
    ]
}
`;

test('replaces only the trainable value of the chosen phase, leaving the rest of the text as written', () => {
  const after = withTrainable(file, 1, { topLayers: 20 });
  assert.deepEqual(JSON.parse(after).phases.map((p: { trainable: unknown }) => p.trainable), [{ none: true }, { topLayers: 20 }]);
  assert.equal(after.split('\n')[3], file.split('\n')[3], 'the other phase is untouched');
  assert.ok(after.startsWith('{\n    "name": "pets",'), 'the indentation of the file is kept');
  assert.equal(trainableEdits(file, 1, { all: true }).length, 1, 'one edit: one undo step');
});

test("adds trainable to a phase that had none, in the file's indentation", () => {
  const text = '{\n\t"phases": [\n\t\t{ "epochs": 1 }\n\t]\n}\n';
  const after = withTrainable(text, 0, { names: ['block_16_project'] });
  assert.deepEqual(JSON.parse(after).phases[0], { epochs: 1, trainable: { names: ['block_16_project'] } });
});

test('keeps Windows line ends', () => {
  const crlf = file.replace(/\n/g, '\r\n');
  const after = withTrainable(crlf, 0, { topBlocks: 1 });
  assert.equal(after.replace(/\r\n/g, '').includes('\n'), false);
});

test('a phase that does not exist is refused with the count', () => {
  assert.throws(() => trainableEdits(file, 2, { all: true }), /has 2 phases; there is no phase 3/);
  assert.throws(() => trainableEdits('{"name": "x"}', 0, { all: true }), /has 0 phases/);
});

test('"Use This Rate" sets only the chosen phase\'s learningRate, added where it was missing', () => {
  const after = applyEdits(file, phaseFieldEdits(file, 1, 'learningRate', 0.0032));
  assert.deepEqual(JSON.parse(after).phases, [{ epochs: 3, trainable: { none: true } }, { epochs: 2, trainable: { topBlocks: 2 }, learningRate: 0.0032 }]);
  const again = applyEdits(after, phaseFieldEdits(after, 1, 'learningRate', 0.01));
  assert.equal(JSON.parse(again).phases[1].learningRate, 0.01);
  assert.throws(() => phaseFieldEdits(file, 2, 'learningRate', 0.01), /no phase 3 to change/);
});
