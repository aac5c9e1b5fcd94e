import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RowCommands } from '../../../src/extension/experiments/rowCommands';
import { StableNodes, type FoundExperiment } from '../../../src/extension/experiments/stableNodes';
import type { RunSummary } from '../../../src/shared/runSummary';

const summary = (runDir: string, epoch: number, state: RunSummary['state'] = 'running'): RunSummary => ({ runDir, kind: 'image', state, phase: 'fine-tune', epoch, hasModel: false, hasEvaluation: false, classes: [] });
const found = (runs: string[], name = 'colors'): FoundExperiment<string>[] => [{ key: 'file:///w/colors.experiment.json', uri: '/w/colors.experiment.json', name, runs }];

test('a running run that moves on an epoch refreshes only its own row, and keeps its node object (the row keeps its click)', () => {
  const nodes = new StableNodes<string>();
  assert.equal(nodes.update(found(['/w/runs/b', '/w/runs/a']), new Map([['/w/runs/b', summary('/w/runs/b', 1)], ['/w/runs/a', summary('/w/runs/a', 3, 'completed')]])), 'all');
  const experiment = nodes.experiments[0];
  const running = nodes.run('/w/runs/b')!;
  const done = nodes.run('/w/runs/a')!;
  const change = nodes.update(found(['/w/runs/b', '/w/runs/a']), new Map([['/w/runs/b', summary('/w/runs/b', 2)], ['/w/runs/a', summary('/w/runs/a', 3, 'completed')]]));
  assert.deepEqual(change, [running], 'only the run whose epoch moved');
  assert.equal(nodes.run('/w/runs/b'), running, 'the same object, so VS Code maps it to the same row');
  assert.equal(running.summary.epoch, 2);
  assert.equal(nodes.experiments[0], experiment);
  assert.equal(nodes.run('/w/runs/a'), done);
  assert.deepEqual(nodes.update(found(['/w/runs/b', '/w/runs/a']), new Map([['/w/runs/b', summary('/w/runs/b', 2)], ['/w/runs/a', summary('/w/runs/a', 3, 'completed')]])), [], 'nothing changed, nothing refreshed');
});

test('a new run refreshes its experiment (not the whole tree); a new or removed experiment refreshes everything', () => {
  const nodes = new StableNodes<string>();
  nodes.update(found(['/w/runs/a']), new Map([['/w/runs/a', summary('/w/runs/a', 1)]]));
  const experiment = nodes.experiments[0];
  const change = nodes.update(found(['/w/runs/b', '/w/runs/a']), new Map([['/w/runs/b', summary('/w/runs/b', 0)], ['/w/runs/a', summary('/w/runs/a', 2)]]));
  assert.deepEqual(change, [experiment], 'its children are read again, so the runs are not named on their own');
  assert.deepEqual(experiment.runs, ['/w/runs/b', '/w/runs/a']);
  assert.equal(nodes.run('/w/runs/a')!.summary.epoch, 2);
  const two: FoundExperiment<string>[] = [...found(['/w/runs/b', '/w/runs/a']), { key: 'file:///w/more.experiment.json', uri: '/w/more.experiment.json', name: 'more', runs: [] }];
  assert.equal(nodes.update(two, new Map([['/w/runs/b', summary('/w/runs/b', 0)], ['/w/runs/a', summary('/w/runs/a', 2)]])), 'all');
  assert.equal(nodes.update([], new Map()), 'all');
  assert.equal(nodes.run('/w/runs/a'), undefined, 'a removed run is forgotten');
});

test('each run row has an argument-free command of its own, stable while the run is listed, dropped after', async () => {
  const registered = new Map<string, () => unknown>();
  const opened: string[] = [];
  const rows = new RowCommands((id, run) => (registered.set(id, run), { dispose: () => registered.delete(id) }), (runDir) => opened.push(runDir));
  const a = rows.idFor('/w/runs/a');
  assert.equal(rows.idFor('/w/runs/a'), a, 'a refreshed row keeps the same command: a click on the old row still works');
  const b = rows.idFor('/w/runs/b');
  assert.notEqual(a, b);
  await registered.get(a)!();
  assert.deepEqual(opened, ['/w/runs/a']);
  rows.keepOnly(new Set(['/w/runs/b']));
  assert.deepEqual([...registered.keys()], [b]);
  rows.dispose();
  assert.equal(registered.size, 0);
});
