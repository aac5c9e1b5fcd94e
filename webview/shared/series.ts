// Turns logged epochs and batches into chart-ready curves on one continuous epoch axis across phases.
import type { BatchPoint, EpochPoint, PhaseEndingView } from '../../src/protocol/webview';
import type { Point } from './decimate';

export interface Curves {
  trainLoss: Point[]; valLoss: Point[]; trainAccuracy: Point[]; valAccuracy: Point[];
  batchLoss: Point[]; batchAccuracy: Point[]; learningRate: Point[];
  /** Where each later phase begins (e.g. fine-tuning after feature extraction), and each restored best epoch. */
  boundaries: { x: number; label: string }[];
  /** Where the run ends as planned while it trains, or where it ended: the x axis spans the whole run. */
  end: number;
}

type Keyed = { phaseIndex: number; epoch: number; batch?: number };

const order = (a: Keyed, b: Keyed) => a.phaseIndex - b.phaseIndex || a.epoch - b.epoch || (a.batch ?? 0) - (b.batch ?? 0);

/**
 * Puts `point` in the ordered `list`, replacing the point with the same key: replaying events twice is harmless and
 * a resumed run's redone epochs replace the abandoned ones. Cheap for the usual append at the end.
 */
export function upsertInOrder<T extends Keyed>(list: T[], point: T): void {
  let i = list.length;
  while (i > 0 && order(list[i - 1], point) > 0) i--;
  if (i > 0 && order(list[i - 1], point) === 0) list[i - 1] = point;
  else list.splice(i, 0, point);
}

/** x position where each phase starts: phases before it take the epochs they ran (or were planned to run). */
export function phaseOffsets(planned: readonly { epochs: number }[], epochs: readonly Keyed[], batches: readonly Keyed[] = []): number[] {
  return phaseSpans(planned, epochs, batches).offsets;
}

/** `ended`: the run is over, so every phase takes the epochs it ran, not the ones planned. */
function phaseSpans(planned: readonly { epochs: number }[], epochs: readonly Keyed[], batches: readonly Keyed[], ended = false): { offsets: number[]; end: number } {
  const ran = planned.map(() => 0);
  for (const p of [...epochs, ...batches]) if (p.phaseIndex < ran.length) ran[p.phaseIndex] = Math.max(ran[p.phaseIndex], p.epoch);
  const offsets: number[] = [];
  let x = 0;
  planned.forEach((phase, i) => {
    offsets.push(x);
    // a phase that later phases followed stopped where it stopped (early stopping); otherwise use the plan
    x += ended || ran.slice(i + 1).some((e) => e > 0) ? ran[i] : Math.max(ran[i], phase.epochs);
  });
  return { offsets, end: Math.max(x, ...[...epochs, ...batches].map((p) => (offsets[p.phaseIndex] ?? 0) + p.epoch)) };
}

/** `ended`: the run is over (its axis ends at its last epoch); `endings` mark each phase's restored best epoch. */
export function buildCurves(phases: readonly { name: string; epochs: number }[], epochs: readonly EpochPoint[], batches: readonly BatchPoint[], options: { ended?: boolean; endings?: readonly PhaseEndingView[] } = {}): Curves {
  const endings = options.endings ?? [];
  const { offsets, end } = phaseSpans(phases, epochs, batches, options.ended);
  const at = (p: Keyed) => offsets[p.phaseIndex] ?? 0;
  const epochX = (p: EpochPoint) => at(p) + p.epoch;
  const batchX = (p: BatchPoint) => at(p) + p.epoch - 1 + p.batch / Math.max(1, p.batches);
  const curve = <T>(list: readonly T[], x: (p: T) => number, y: (p: T) => number | null) =>
    list.flatMap((p) => { const v = y(p); return v === null ? [] : [{ x: x(p), y: v }]; });
  const started = new Set([...epochs, ...batches].map((p) => p.phaseIndex));
  return {
    trainLoss: curve(epochs, epochX, (p) => p.loss),
    valLoss: curve(epochs, epochX, (p) => p.valLoss),
    trainAccuracy: curve(epochs, epochX, (p) => p.accuracy),
    valAccuracy: curve(epochs, epochX, (p) => p.valAccuracy),
    batchLoss: curve(batches, batchX, (p) => p.loss),
    batchAccuracy: curve(batches, batchX, (p) => p.accuracy),
    learningRate: batches.length > 0 ? curve(batches, batchX, (p) => p.learningRate) : curve(epochs, epochX, (p) => p.learningRate),
    boundaries: [
      ...phases.flatMap((phase, i) => (i > 0 && started.has(i) ? [{ x: offsets[i], label: `${phase.name} begins` }] : [])),
      ...endings.flatMap((e) => (e.restoredEpoch !== undefined && e.phaseIndex < phases.length ? [{ x: offsets[e.phaseIndex] + e.restoredEpoch, label: `best epoch ${e.restoredEpoch} restored` }] : [])),
    ],
    end,
  };
}
