// Evaluate on another folder: images the run trained on are counted by content (a copy under another name counts),
// and each folder's result is kept in the run, where the dashboard offers it beside the validation result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { countTrainedOn, folderEvaluationFile, keepFolderEvaluation } from '../../../src/engine/training/folderEvaluation';
import { readEvaluation } from '../../../src/extension/webviews/dashboard/evaluationRead';
import { evaluationView, parse } from '../../../src/protocol/webview';
import type { EvaluationReport } from '../../../src/protocol/host';
import { tempDir } from '../data/fixtures';

async function files(dir: string, contents: Record<string, string>): Promise<{ path: string; label: number }[]> {
  await mkdir(dir, { recursive: true });
  return Promise.all(Object.entries(contents).map(async ([name, content]) => (await writeFile(join(dir, name), content), { path: join(dir, name), label: 0 })));
}

test('images of the evaluation folder that the run trained on are counted by content, whatever their names', async (t) => {
  const [root, cache] = [tempDir(t), tempDir(t)];
  const trained = await files(join(root, 'train'), { 'a.png': 'A', 'b.png': 'B', 'c.png': 'C' });
  const evaluated = await files(join(root, 'other'), { 'a-copy.png': 'A', 'b.png': 'B', 'new.png': 'N' });
  assert.equal(await countTrainedOn(evaluated, trained, cache), 2);
  assert.equal(await countTrainedOn(await files(join(root, 'fresh'), { 'x.png': 'X' }), trained, cache), 0);
});

const report = (split: string, accuracy: number): EvaluationReport => ({
  split, classes: ['cat', 'dog'], count: 2, accuracy, confusionMatrix: [[1, 0], [1, 0]], skipped: [{ path: '/x', reason: 'bad' }],
  perClass: [{ name: 'cat', precision: 0.5, recall: 1, f1: 0.67, support: 1 }, { name: 'dog', precision: 0, recall: 0, f1: 0, support: 1 }],
  macro: { precision: 0.25, recall: 0.5, f1: 0.33 }, samples: [{ path: '/p/1.png', label: 0, predicted: 0, confidence: 0.9 }, { path: '/p/2.png', label: 1, predicted: 0, confidence: 0.6 }],
});

test('each folder evaluation is kept as its own file in the run, and the dashboard reads them beside evaluation.json', async (t) => {
  const run = tempDir(t);
  await writeFile(join(run, 'evaluation.json'), JSON.stringify({ val: report('val', 0.5) }));
  assert.equal(await readEvaluation(run, () => undefined).then((e) => e?.folders), undefined, 'no folder evaluated yet');
  const first = await keepFolderEvaluation(run, '/data/holdout', { ...report('holdout', 1), trainedOn: 2 });
  await keepFolderEvaluation(run, '/data/other/holdout', report('holdout', 0.5));
  assert.equal(first, folderEvaluationFile('/data/holdout'));
  assert.match(first, /^evaluations\/holdout-[0-9a-f]{8}\.json$/);
  assert.notEqual(first, folderEvaluationFile('/data/other/holdout'), 'two folders of one name do not overwrite each other');
  await keepFolderEvaluation(run, '/data/holdout', { ...report('holdout', 0.75), trainedOn: 1 }); // evaluated again: replaced
  const view = await readEvaluation(run, () => undefined);
  assert.ok(parse(evaluationView, view, (r) => assert.fail(r)));
  assert.equal(view!.val.accuracy, 0.5, 'the validation result stays as it was');
  assert.deepEqual(view!.folders!.map((f) => [f.folder, f.accuracy, f.trainedOn]).sort(), [['/data/holdout', 0.75, 1], ['/data/other/holdout', 0.5, undefined]]);
});
