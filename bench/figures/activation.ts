// Extension activation: dist/extension.js required and activate()d against a stub vscode, in a fresh process each time.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { median } from '../measure';
import { figure, type Figure, type Skipped } from '../report';

const ROUNDS = 5;

export async function activationFigures(): Promise<{ figures?: Figure[]; skipped?: Skipped[] }> {
  const label = 'extension activation (require + activate)';
  if (!existsSync(join(__dirname, '..', '..', 'dist', 'extension.js'))) {
    return { skipped: [{ id: 'activation', label, reason: 'dist/extension.js not built (no src/extension/extension.ts yet)' }] };
  }
  const runs: { requireMs: number; activateMs: number; tfjsLoaded: boolean; error?: string }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, '..', 'extensionActivation.cjs')]);
    runs.push(JSON.parse(stdout.trim().split('\n').pop()!));
  }
  const failed = runs.find((r) => r.error);
  if (failed) return { skipped: [{ id: 'activation', label, reason: `activate() threw against the stub vscode: ${failed.error!.split('\n')[0]}` }] };
  const total = median(runs.map((r) => r.requireMs + r.activateMs));
  return {
    figures: [figure({
      id: 'activation', kind: 'value', label, value: total, unit: 'ms', target: { op: '<=', value: 100 },
      note: `median of ${ROUNDS} fresh processes: require ${median(runs.map((r) => r.requireMs)).toFixed(0)} ms, activate ${median(runs.map((r) => r.activateMs)).toFixed(1)} ms; TensorFlow.js loaded: ${runs.some((r) => r.tfjsLoaded) ? 'yes' : 'no'}`,
    })],
  };
}
