// A class with a single image trains, but nothing validates it: the run says so, in its log and in metrics.jsonl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { selectEngine } from '../../../src/engine/backend/select';
import { readMetrics } from '../../../src/engine/runs';
import { trainExperiment } from '../../../src/engine/training/train';
import { tempDir } from '../data/fixtures';
import { writeExperiment } from '../fixtures/experiments';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { RecordingListener } from './listener';

test('a run with a single-image class warns, records the warning in metrics.jsonl and validates no example of that class', async (t) => {
  await selectEngine('wasm');
  const data = await writeSyntheticDataset(4, { size: 32, root: tempDir(t) });
  const one = await writeSyntheticDataset(1, { size: 32, root: tempDir(t), classes: 1 });
  await rename(join(one, 'red-stripes'), join(data, 'lonely'));
  const file = await writeExperiment(data, { data: { root: data, inputSize: 32, split: { val: 0.25 } }, phases: [{ name: 'head', epochs: 1, batchSize: 4, learningRate: 0.01 }] }, tempDir(t));
  const listener = new RecordingListener();
  const result = await trainExperiment({ experimentFile: file, cacheDir: tempDir(t), listener });
  assert.equal(result.state, 'completed', result.message);
  const said = /class "lonely" has a single image: the split keeps it for training, so validation has no example of this class/;
  assert.ok(listener.logs.some((l) => l.level === 'warn' && said.test(l.message)), 'the run log warns');
  const events = (await readMetrics(result.runDir)).filter((r) => r.type === 'event' && r.event === 'data-warning');
  assert.equal(events.length, 1);
  assert.match(String(events[0].message), said);
  assert.equal(events[0].path, join(data, 'lonely'));
  const evaluation = JSON.parse(await readFile(join(result.runDir, 'evaluation.json'), 'utf8'));
  const lonely = evaluation.val.classes.indexOf('lonely');
  assert.equal(evaluation.val.samples.filter((s: { label: number }) => s.label === lonely).length, 0, 'what the split did: no validation example');
});
