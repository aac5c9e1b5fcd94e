import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from 'jsonc-parser/lib/esm/main.js';
import { legacyBaseFix } from '../../../src/extension/edits/legacyBaseEdit';

const before = `{
  // colours, written before the catalog rename
  "name": "colors",
  "data": { "root": "colors" },
  "base": { "model": "mobilenet_v2" },
  "phases": [{ "epochs": 3, "trainable": { "none": true } }]
}
`;

test('a file without "version" naming mobilenet_v2 is flagged on the id and fixed to nsfwjs_mobilenet_v2 + "version": 2, comments kept', () => {
  const fix = legacyBaseFix(before)!;
  assert.deepEqual(fix.rename, { from: 'mobilenet_v2', to: 'nsfwjs_mobilenet_v2' });
  assert.equal(before.slice(fix.offset, fix.offset + fix.length), '"mobilenet_v2"');
  const after = applyEdits(before, fix.edits);
  assert.match(after, /^\{\n {2}"version": 2,\n {2}\/\/ colours, written before the catalog rename\n/);
  assert.match(after, /"base": \{ "model": "nsfwjs_mobilenet_v2" \}/);
  assert.equal(legacyBaseFix(after), undefined, 'the fixed file needs no fix');
});

test('the ImageNet ids of version 1 move to their Keras names; version-2 files, other ids and text experiments are left alone', () => {
  const withModel = (model: string, extra = '') => `{ ${extra}"name": "x", "data": { "root": "d" }, "base": { "model": "${model}" }, "phases": [] }`;
  assert.deepEqual(legacyBaseFix(withModel('mobilenet_v2_1.0'))?.rename.to, 'mobilenet_v2');
  assert.deepEqual(legacyBaseFix(withModel('inception_v3_imagenet'))?.rename.to, 'inception_v3');
  assert.deepEqual(legacyBaseFix(withModel('inception_v3', '"version": 1, '))?.rename.to, 'nsfwjs_inception_v3');
  assert.equal(legacyBaseFix(withModel('mobilenet_v2', '"version": 2, ')), undefined);
  assert.equal(legacyBaseFix(withModel('resnet50')), undefined);
  assert.equal(legacyBaseFix(`{ "name": "t", "data": { "kind": "text", "root": "a.csv" }, "base": { "model": "inception_v3" }, "phases": [] }`), undefined);
});
