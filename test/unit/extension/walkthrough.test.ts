// The Getting Started walkthrough ticks a step only when its command succeeded: completion follows context keys the
// extension sets on success, never the command merely being run (a refused Train once ticked "Train it").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WALKTHROUGH_ID, WALKTHROUGH_STEP_OF_KEY } from '../../../src/extension/walkthroughSteps';

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

test('the extension ticks each step itself with the id VS Code gives it, for the key its completion event names', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  assert.equal(WALKTHROUGH_ID, `${manifest.publisher}.${manifest.name}#${walkthrough.id}`);
  const stepOf: Record<string, string> = WALKTHROUGH_STEP_OF_KEY;
  for (const step of steps) assert.deepEqual(step.completionEvents!.map((e) => stepOf[e.slice('onContext:'.length)]), [step.id]);
  assert.equal(Object.keys(stepOf).length, steps.length, 'no key ticks a step the walkthrough does not have');
});
