// The Getting Started walkthrough ticks a step only when its command succeeded: completion follows context keys the
// extension sets on success, never the command merely being run (a refused Train once ticked "Train it").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const steps: { id: string; completionEvents?: string[] }[] = manifest.contributes.walkthroughs.flatMap((w: { steps: unknown[] }) => w.steps);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [readFileSync(join(dir, e.name), 'utf8')] : []));
}

test('every walkthrough step completes on a context key that the extension sets, none on a bare command', () => {
  const code = sources('src/extension').join('\n');
  assert.ok(steps.length >= 4);
  for (const step of steps) {
    assert.ok(step.completionEvents?.length, `${step.id} has a completion event`);
    for (const event of step.completionEvents!) {
      const key = /^onContext:([\w.]+)$/.exec(event)?.[1];
      assert.ok(key, `${step.id}: "${event}" would tick the step even when the command refused`);
      assert.ok(code.includes(`setContextKey('${key}'`), `${step.id}: nothing sets ${key}`);
    }
  }
});
