import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendMetrics, writeRunState } from '../../../src/engine/runs';
import { isResumable, runItemModel, runsOfExperiment, summarizeRun } from '../../../src/extension/experiments/runSummary';
import { tempDir } from '../runs/fixtures/tempDir';

async function run(root: string, name: string, snapshotName?: string): Promise<string> {
  const dir = join(root, 'runs', name);
  await mkdir(dir, { recursive: true });
  if (snapshotName) await writeFile(join(dir, 'experiment.json'), JSON.stringify({ name: snapshotName }));
  return dir;
}

const epoch = (phaseIndex: number, n: number, valAccuracy: number) => ({ type: 'epoch' as const, phase: 'p', phaseIndex, epoch: n, valAccuracy });

test('runs of an experiment: matched by the snapshot name (or the folder name before it exists), newest first', async (t) => {
  const root = await tempDir(t, 'transfer-lab-tree-');
  const older = await run(root, '20240501-100000-pets', 'pets');
  await run(root, '20240501-110000-other', 'other');
  const young = await run(root, '20240501-120000-pets-2');
  await writeRunState(young, { state: 'running' });
  await run(root, '20240501-130000-pets-and-cats', 'pets and cats');
  assert.deepEqual(await runsOfExperiment(join(root, 'pets.experiment.json'), 'pets'), [young, older]);
  assert.deepEqual(await runsOfExperiment(join(root, 'none.experiment.json'), 'none'), []);
});

test('a completed run shows its best validation accuracy, engine and date; menus key on state and model', async (t) => {
  const root = await tempDir(t, 'transfer-lab-tree-');
  const dir = await run(root, '20240501-100000-pets', 'pets');
  await writeRunState(dir, { state: 'completed', engine: 'wasm (XNNPACK) for forward and training' });
  for (const record of [epoch(0, 1, 0.5), epoch(0, 2, 0.8), epoch(1, 1, 0.7)]) await appendMetrics(dir, record);
  await mkdir(join(dir, 'model'));
  await writeFile(join(dir, 'model', 'model.json'), '{}');
  const summary = await summarizeRun(dir);
  assert.equal(summary.bestValAccuracy, 0.8);
  assert.deepEqual(runItemModel(summary), {
    label: '05-01 10:00:00',
    description: '80.0% · completed',
    tooltip: `20240501-100000-pets\nstate: completed\nbest validation accuracy: 80.0%\nengine: wasm\n${dir}`,
    icon: 'pass',
    contextValue: 'run:completed:model',
  });
});

test('a "running" run whose host process is gone shows as interrupted and can be resumed; epochs redone after a resume count once', async (t) => {
  const root = await tempDir(t, 'transfer-lab-tree-');
  const dir = await run(root, '20240501-100000-pets', 'pets');
  await writeRunState(dir, { state: 'running', pid: 4242, phase: 'fine-tune', epoch: 3 });
  await appendMetrics(dir, epoch(0, 1, 0.9));
  await appendMetrics(dir, { type: 'event', event: 'resumed', phase: 'p', phaseIndex: 0, epoch: 0 });
  await appendMetrics(dir, epoch(0, 1, 0.6));
  const gone = await summarizeRun(dir, () => false);
  assert.equal(gone.state, 'interrupted');
  assert.equal(gone.bestValAccuracy, 0.6, 'the epoch logged before the resume was redone');
  assert.equal(runItemModel(gone).contextValue, 'run:interrupted');
  assert.ok(isResumable(gone.state));
  const alive = await summarizeRun(dir, () => true);
  assert.equal(runItemModel(alive).description, '60.0% · running · fine-tune epoch 3');
  assert.equal(isResumable(alive.state), false);
});

test('a run folder with an unreadable state still shows, as unknown', async (t) => {
  const root = await tempDir(t, 'transfer-lab-tree-');
  const dir = await run(root, 'odd-name', 'pets');
  await writeFile(join(dir, 'state.json'), '{ torn');
  const summary = await summarizeRun(dir);
  assert.equal(summary.state, 'unknown');
  assert.equal(runItemModel(summary).label, 'odd-name');
});
