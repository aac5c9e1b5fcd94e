// Headline numbers per run, for the compare table. No DOM.
import type { CompareRun } from '../../src/protocol/webview';
import { shortEngine } from '../../src/shared/format';

export interface CompareRow { id: string; state: string; baseModel: string; engine: string; engineDetail: string; epochs: number; bestValAccuracy: number | null; finalValLoss: number | null; testAccuracy: number | null; macroF1: number | null; seconds: number }

export function compareRow(run: CompareRun): CompareRow {
  const val = run.epochs.map((e) => e.valAccuracy).filter((v): v is number => v !== null);
  const { startedAt, updatedAt } = run.state;
  return {
    id: run.id, state: run.state.state, baseModel: run.header.baseModel || '—', engine: /^[\w-]+/.exec(shortEngine(run.state.engine))?.[0] ?? '—', engineDetail: shortEngine(run.state.engine), epochs: run.epochs.length,
    bestValAccuracy: val.length ? Math.max(...val) : null,
    finalValLoss: run.epochs.at(-1)?.valLoss ?? null,
    testAccuracy: run.evaluation?.testAccuracy ?? null,
    macroF1: run.evaluation?.macroF1 ?? null,
    seconds: startedAt && updatedAt ? (Date.parse(updatedAt) - Date.parse(startedAt)) / 1000 : NaN,
  };
}

/** Indices of the best runs by a metric (highest, or lowest when `lower`; ties all win); none when no run has it. */
export function bestRuns(rows: readonly CompareRow[], pick: (r: CompareRow) => number | null, lower = false): Set<number> {
  const values = rows.map(pick).filter((v): v is number => v !== null);
  if (values.length === 0) return new Set();
  const best = lower ? Math.min(...values) : Math.max(...values);
  return new Set(rows.flatMap((r, i) => (pick(r) === best ? [i] : [])));
}
