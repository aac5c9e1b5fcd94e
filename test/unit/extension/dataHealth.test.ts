import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { applyEdits } from 'jsonc-parser/lib/esm/main.js';
import { excludeEdits } from '../../../src/extension/edits/excludeEdit';
import { dataSummary, excludeEntry, healthReportView, keepKey, moveTarget, withoutKept } from '../../../src/extension/webviews/dataHealth/healthView';
import type { DoctorReport } from '../../../src/protocol/host';
import { healthReport, parse } from '../../../src/protocol/webview';

const root = join('/work', 'pets', 'train');
const at = (cls: string, name: string) => join(root, cls, name);

const report: DoctorReport = {
  labelIssues: [{ file: at('cat', 'c7.png'), given: 'cat', suggested: 'dog', score: 0.9 }, { file: at('dog', 'd2.png'), given: 'dog', suggested: 'cat', score: 0.6 }],
  duplicates: [{ kind: 'exact', files: [at('cat', 'c1.png'), join('/work', 'pets', 'val', 'cat', 'c1.png')], splits: ['train', 'val'], similarity: 1, leakage: true }],
  outliers: [{ file: at('dog', 'd9.png'), score: 0.4 }],
  classes: { cat: { train: 10, val: 2, test: 0 }, dog: { train: 30, val: 2, test: 0 } },
  imbalance: { ratio: 3, largest: 'dog', smallest: 'cat', defaultWeights: 'balanced', note: 'imbalanced classes: "dog" has 30 examples, 3.0× the 10 of "cat"' },
  odd: [{ file: at('cat', 'tiny.png'), reason: 'tiny (16×16 px)' }],
  skipped: [], base: 'MobileNet V2', computed: 0, seconds: 2.5,
};

test('Move puts the file in the sibling folder of its suggested class, and refuses a file no longer in its class folder', () => {
  assert.equal(moveTarget(at('cat', 'c7.png'), 'cat', 'dog'), at('dog', 'c7.png'));
  assert.throws(() => moveTarget(at('dog', 'c7.png'), 'cat', 'dog'), /c7\.png is not in a class folder named "cat".*Check Dataset again/);
});

test('Exclude records the file relative to the experiment, with forward slashes, once', () => {
  assert.equal(excludeEntry(join('/work', 'pets.experiment.json'), at('cat', 'c7.png')), 'pets/train/cat/c7.png');
  const text = '{\n    "name": "pets",\n    "data": {\n        "root": "pets"\n    }\n}\n';
  const first = applyEdits(text, excludeEdits(text, 'pets/train/cat/c7.png'));
  assert.deepEqual(JSON.parse(first).data, { root: 'pets', exclude: ['pets/train/cat/c7.png'] });
  assert.ok(first.includes('\n        "root": "pets"'), 'the file keeps its indentation');
  const second = applyEdits(first, excludeEdits(first, 'pets/train/dog/d2.png'));
  assert.deepEqual(JSON.parse(second).data.exclude, ['pets/train/cat/c7.png', 'pets/train/dog/d2.png']);
  assert.deepEqual(excludeEdits(second, 'pets/train/dog/d2.png'), [], 'an excluded file is not listed twice');
  assert.throws(() => excludeEdits('[1, 2]', 'a.png'), /not a JSON object/);
});

test('Keep hides a finding from its own section only; a kept duplicate group is hidden whichever member was kept', () => {
  const kept = new Set([keepKey(report, 'labelIssues', at('cat', 'c7.png')), keepKey(report, 'duplicates', join('/work', 'pets', 'val', 'cat', 'c1.png'))]);
  const { report: shown, hidden } = withoutKept(report, kept);
  assert.deepEqual(shown.labelIssues.map((r) => r.file), [at('dog', 'd2.png')]);
  assert.deepEqual(shown.duplicates, []);
  assert.equal(shown.outliers.length, 1);
  assert.equal(hidden, 2);
  assert.equal(keepKey(report, 'duplicates', at('cat', 'c1.png')), keepKey(report, 'duplicates', join('/work', 'pets', 'val', 'cat', 'c1.png')));
});

test('the panel view passes the webview schema, with image URIs only where the panel may read them', () => {
  const view = healthReportView(report, { target: root, kept: new Set(), imageUri: (f) => (f.includes(`${join('train', 'cat')}`) ? `https://webview/${f}` : undefined), excludeDisabled: 'no experiment' });
  assert.equal(parse(healthReport, view, (reason) => assert.fail(reason)), view);
  assert.equal(view.images, 44);
  assert.equal(view.labelIssues[0].image, `https://webview/${at('cat', 'c7.png')}`);
  assert.equal(view.labelIssues[1].image, undefined);
  assert.deepEqual(view.duplicates[0].members.map((m) => m.split), ['train', 'val']);
  assert.match(view.imbalance ?? '', /3\.0×/);
  assert.deepEqual(dataSummary(report), { labelIssues: 2, leaked: 1 });
});
