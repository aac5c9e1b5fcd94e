// Every message is schema-checked: valid ones pass; wrong types, extra or missing fields, huge arrays, odd objects
// and random mutations of valid messages are rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, type Rng } from '../../../src/engine/random';
import {
  LIMITS, fromCompareWebview, fromDashboardWebview, fromLayersWebview, parse, toCompareWebview, toDashboardWebview, toLayersWebview, type Schema,
} from '../../../src/protocol/webview';
import { PNG, batch, compareMessages, dashboardMessages, layersShow } from './messages';

const accepts = <T>(s: Schema<T>, value: unknown) => parse(s, value) !== undefined;

test('valid messages of every kind pass, both directions', () => {
  assert.ok(accepts(toLayersWebview, layersShow));
  assert.ok(accepts(toLayersWebview, { type: 'layers/status', status: 'restricted', message: 'trust the workspace' }));
  for (const m of dashboardMessages) assert.ok(accepts(toDashboardWebview, m), m.type);
  for (const m of compareMessages) assert.ok(accepts(toCompareWebview, m), m.type);
  for (const m of [{ type: 'ready' }, { type: 'layers/setTrainable', phaseIndex: 1, spec: { names: ['a', 'b'] } }, { type: 'layers/setTrainable', phaseIndex: 0, spec: { range: [2, 5] } }]) assert.ok(accepts(fromLayersWebview, m));
  for (const m of [{ type: 'ready' }, { type: 'export/csv' }, { type: 'export/html' }, { type: 'export/png', chart: 'loss', dataUrl: PNG }]) assert.ok(accepts(fromDashboardWebview, m));
  assert.ok(accepts(fromCompareWebview, { type: 'export/png', chart: 'val-loss', dataUrl: PNG }));
});

test('hand-picked bad messages are rejected with a reason naming the field', () => {
  const bad: [Schema<unknown>, unknown, string][] = [
    [fromLayersWebview, { type: 'layers/setTrainable', phaseIndex: 0, spec: { names: ['a'] }, extra: 1 }, '.extra: unexpected field'],
    [fromLayersWebview, { type: 'layers/setTrainable', phaseIndex: '0', spec: { none: true } }, '.phaseIndex'],
    [fromLayersWebview, { type: 'layers/setTrainable', phaseIndex: -1, spec: { none: true } }, '.phaseIndex'],
    [fromLayersWebview, { type: 'layers/setTrainable', phaseIndex: 0, spec: { none: true, all: true } }, '.spec'],
    [fromLayersWebview, { type: 'layers/setTrainable', phaseIndex: 0, spec: { topLayers: 0 } }, '.spec'],
    [fromLayersWebview, { type: 'layers/setTrainable', phaseIndex: 0, spec: { names: Array(LIMITS.layers + 1).fill('x') } }, '.spec'],
    [fromLayersWebview, { type: 'layers/setTrainable', phaseIndex: 0 }, '.spec: missing'],
    [fromLayersWebview, { type: 'shell/run', command: 'rm -rf /' }, '.type'],
    [fromLayersWebview, null, 'type'],
    [fromLayersWebview, ['ready'], 'type'],
    [fromDashboardWebview, { type: 'export/png', chart: 'loss', dataUrl: 'data:text/html;base64,PHNjcmlwdD4=' }, '.dataUrl'],
    [fromDashboardWebview, { type: 'export/png', chart: 'x'.repeat(101), dataUrl: PNG }, '.chart'],
    [toDashboardWebview, { type: 'run/batch', point: { ...batch, loss: Number.NaN } }, '.point.loss'],
    [toDashboardWebview, { type: 'run/batch', point: { ...batch, batch: 1.5 } }, '.point.batch'],
    [toDashboardWebview, { type: 'run/state', state: { state: 'exploded' } }, '.state.state'],
  ];
  for (const [schema, value, where] of bad) {
    let reason = '';
    assert.equal(parse(schema, value, (r) => (reason = r)), undefined, JSON.stringify(value)?.slice(0, 80));
    assert.ok(reason.includes(where), `"${reason}" should name ${where}`);
  }
});

test('evaluations must be consistent: square matrix, sample labels within the classes', () => {
  const snapshot = structuredClone(dashboardMessages[0]) as Extract<(typeof dashboardMessages)[number], { type: 'run/snapshot' }>;
  const val = snapshot.snapshot.evaluation!.val;
  val.confusionMatrix[1].push(0);
  assert.ok(!accepts(toDashboardWebview, snapshot));
  val.confusionMatrix[1].pop();
  val.samples[0].predicted = 2;
  assert.ok(!accepts(toDashboardWebview, snapshot));
});

test('only plain objects pass: class instances, Maps, Dates and prototype tricks are rejected', () => {
  class Ready { type = 'ready'; }
  assert.ok(!accepts(fromLayersWebview, new Ready()));
  assert.ok(!accepts(fromLayersWebview, new Map([['type', 'ready']])));
  assert.ok(!accepts(toDashboardWebview, { type: 'run/state', state: { state: 'running', startedAt: new Date() } }));
  assert.ok(!accepts(fromLayersWebview, JSON.parse('{"type":"ready","__proto__":{"polluted":true}}')));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

/** A copy of `value` with one random change somewhere inside it. */
function mutate(value: unknown, rng: Rng): unknown {
  const copy = structuredClone(value);
  const paths: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  (function walk(node: unknown) {
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      paths.push({ parent: node as Record<string, unknown>, key: Array.isArray(node) ? Number(key) : key });
      walk(child);
    }
  })(copy);
  const { parent, key } = paths[Math.floor(rng() * paths.length)];
  const current = (parent as Record<string, unknown>)[key];
  const replacements: unknown[] = [undefined, null, 'text', -1, 1.5, Number.POSITIVE_INFINITY, true, [], {}, { nested: 1 }];
  const choice = Math.floor(rng() * 3);
  if (choice === 0 && !Array.isArray(parent)) (parent as Record<string, unknown>)[`extra_${Math.floor(rng() * 1000)}`] = 1;
  else if (choice === 1 && Array.isArray(current)) (parent as Record<string, unknown>)[key] = Array(Math.min(LIMITS.batches, 1_000_000) + 1).fill(current[0] ?? 0);
  else {
    const options = replacements.filter((r) => typeof r !== typeof current || (typeof r === 'number' && !Number.isInteger(r)));
    const replacement = options[Math.floor(rng() * options.length)];
    if (replacement === undefined && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key];
    else (parent as Record<string, unknown>)[key] = replacement;
  }
  return copy;
}

test('fuzz: 3,000 seeded random mutations of valid messages are rejected or still valid, never thrown on', () => {
  const rng = createRng(20261128);
  const cases: [Schema<unknown>, unknown][] = [
    [toLayersWebview, layersShow], ...dashboardMessages.map((m): [Schema<unknown>, unknown] => [toDashboardWebview, m]),
    ...compareMessages.map((m): [Schema<unknown>, unknown] => [toCompareWebview, m]),
    [fromLayersWebview, { type: 'layers/setTrainable', phaseIndex: 1, spec: { names: ['layer_1'] } }],
    [fromDashboardWebview, { type: 'export/png', chart: 'loss', dataUrl: PNG }],
  ];
  let rejected = 0;
  for (let i = 0; i < 3000; i++) {
    const [schema, valid] = cases[i % cases.length];
    const mutant = mutate(valid, rng);
    const result = parse(schema, mutant);
    if (result === undefined) rejected++;
    // a mutant that still passes must really match its type: re-check a few structural facts
    else assert.equal(typeof (result as { type: unknown }).type, 'string');
  }
  // some mutations are harmless (e.g. an optional field removed, a number swapped for another valid one)
  assert.ok(rejected > 2700, `only ${rejected} of 3000 mutants were rejected`);
});
