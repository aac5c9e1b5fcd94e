// What differs between the experiments of compared runs (base, data, each phase's epochs, rate, batch, what trains),
// so "top 2 vs 4 blocks" is read, not guessed. No DOM.
import type { CompareRun } from '../../src/protocol/webview';
import { baseName, formatRate, modelName } from '../../src/shared/format';
import { describeSpec } from '../../src/shared/freeze';

export interface Difference { setting: string; values: string[] }

function settings(run: CompareRun): Map<string, string> {
  const { header } = run;
  const all = new Map<string, string>([['base model', modelName(header.baseModel)], ['dataset', baseName(header.dataset)], ['phases', String(header.phases.length)]]);
  header.phases.forEach((phase, i) => {
    const at = `phase ${i + 1}`;
    all.set(`${at}: name`, phase.name);
    all.set(`${at}: epochs`, String(phase.epochs));
    all.set(`${at}: learning rate`, formatRate(phase.learningRate));
    all.set(`${at}: batch size`, String(phase.batchSize));
    all.set(`${at}: trains`, describeSpec(phase.trainable));
  });
  return all;
}

/** The settings whose values are not the same in every run, in the experiment's order; a run without one shows "—". */
export function experimentDifferences(runs: readonly CompareRun[]): Difference[] {
  const each = runs.map(settings);
  const keys = [...new Set(each.flatMap((s) => [...s.keys()]))];
  return keys
    .map((setting) => ({ setting, values: each.map((s) => s.get(setting) ?? '—') }))
    .filter((d) => new Set(d.values).size > 1);
}
