// `lr-find` and `search`: host requests that train many short times and answer with a choice (Ctrl+C: interrupt.ts).
import { resolve } from 'node:path';
import type { LrFindResult, SearchResult } from '../protocol/host';
import { findCatalogEntry } from '../shared/catalog';
import { formatRate } from '../shared/format';

/** The sweep as a few lines: every tenth rate with its smoothed loss, and the suggestion. */
export function lrFindText(result: LrFindResult): string[] {
  const rows = result.rates.flatMap((rate, i) => (i % 10 === 0 || i === result.rates.length - 1 ? [`  ${formatRate(rate).padStart(8)}  ${result.smoothed[i].toFixed(4)}`] : []));
  return [
    `phase "${result.phase}": ${result.rates.length} steps from ${formatRate(result.rates[0])} to ${formatRate(result.rates.at(-1)!)} in ${result.sweepSeconds.toFixed(1)} s (one epoch is ${result.stepsPerEpoch} steps)`,
    '      rate  smoothed loss',
    ...rows,
    `suggested learning rate: ${formatRate(result.suggestion)} (steepest fall of the smoothed loss)`,
  ];
}

/** --bases: catalog ids and URLs as given, model files resolved against the working directory. */
export function parseBases(list: string | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  return list.split(',').map((ref) => ref.trim()).filter(Boolean).map((ref) => (findCatalogEntry(ref) || /^https?:\/\//i.test(ref) ? ref : resolve(ref)));
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The leaderboard's first rows, best first, and where the winner went. */
export function searchText(result: SearchResult, rows = 10): string[] {
  const lines = result.leaderboard.slice(0, rows).map((row, i) => {
    const s = row.settings;
    const head = `${s.hiddenUnits > 0 ? `hidden ${s.hiddenUnits}, ` : ''}dropout ${s.dropout}, lr ${formatRate(s.learningRate)}, ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}, class weights ${s.classWeights}`;
    return `${String(i + 1).padStart(3)}. ${percent(row.cvAccuracy)} ± ${percent(row.cvStd)}  ${row.base} (${row.msPerImage.toFixed(1)} ms/image, ${(row.params / 1e6).toFixed(2)} M params)  ${head}  [rung ${row.rung + 1}]`;
  });
  return [
    `search: ${result.leaderboard.length} trials on ${result.folds > 1 ? `${result.folds} stratified folds` : 'a stratified holdout'} of the training split in ${result.seconds.toFixed(0)} s (features ${result.featureSeconds.toFixed(0)} s)`,
    ...lines,
    `best experiment: ${result.bestExperiment}\ntrain it with: transfer-lab train ${result.bestExperiment}`,
  ];
}

/** The JSON line of the issue: snake_case rows. */
export function searchJson(result: SearchResult) {
  return {
    leaderboard: result.leaderboard.map((row) => ({ base: row.base, settings: row.settings, cv_accuracy: row.cvAccuracy, cv_std: row.cvStd, ms_per_image: row.msPerImage, params: row.params, rung: row.rung })),
    best_experiment: result.bestExperiment, folds: result.folds, seconds: result.seconds, feature_seconds: result.featureSeconds,
  };
}
