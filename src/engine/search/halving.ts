// Successive halving (the synchronous form of ASHA/Hyperband's inner loop): every trial trains a few epochs, the best
// third goes on to three times as many, and so on; a trial's state carries over from rung to rung.

export interface RungScore {
  /** Higher is better (cross-validated accuracy). */
  score: number;
  /** Lower is better: breaks ties of `score` (cross-validated loss). */
  tieBreak: number;
}

export interface HalvingOptions<T> {
  trials: T[];
  /** Epochs of the first rung; each later rung trains its survivors up to `eta` times the previous total. */
  minEpochs: number;
  eta: number;
  maxRungs: number;
  /** Trials of one key train together in a rung (one batched computation); omitted, each trains alone. */
  batchKey?(trial: T): string;
  /** Trains each trial of `batch` until it has `epochs` epochs in total (it may stop earlier: early stopping), and scores them. */
  train(batch: T[], epochs: number): Promise<RungScore[]>;
  /** false once the time budget is spent: batches not yet trained at the current rung are left out. */
  inBudget(): boolean;
  /** Trials that go on to every rung whatever their score (the experiment's own recipe: slow starters are not cut early). */
  keep?(trial: T): boolean;
}

export interface HalvingEntry<T> {
  trial: T;
  /** The last rung this trial trained in (0-based) and its score there. */
  rung: number;
  epochs: number;
  score: RungScore;
}

/** Trials grouped by key, in order of first appearance. */
function batches<T>(trials: T[], key: ((trial: T) => string) | undefined): T[][] {
  if (!key) return trials.map((trial) => [trial]);
  const groups = new Map<string, T[]>();
  for (const trial of trials) groups.set(key(trial), [...(groups.get(key(trial)) ?? []), trial]);
  return [...groups.values()];
}

const better = (a: RungScore, b: RungScore) => b.score - a.score || a.tieBreak - b.tieBreak;

/** Every trained trial with its last rung, best first: later rungs first, then by score. */
export async function successiveHalving<T>(options: HalvingOptions<T>): Promise<HalvingEntry<T>[]> {
  const results = new Map<T, HalvingEntry<T>>();
  let survivors = options.trials;
  let epochs = options.minEpochs;
  for (let rung = 0; rung < options.maxRungs && survivors.length > 0; rung++) {
    const scored: HalvingEntry<T>[] = [];
    for (const batch of batches(survivors, options.batchKey)) {
      if (!options.inBudget() && (rung > 0 || scored.length > 0)) break;
      const scores = await options.train(batch, epochs);
      for (const [i, trial] of batch.entries()) {
        const entry = { trial, rung, epochs, score: scores[i] };
        results.set(trial, entry);
        scored.push(entry);
      }
    }
    scored.sort((a, b) => better(a.score, b.score));
    const keep = Math.floor(scored.length / options.eta);
    if (keep < 1 || !options.inBudget()) break;
    const best = scored.slice(0, keep).map((e) => e.trial);
    survivors = [...best, ...scored.slice(keep).map((e) => e.trial).filter((trial) => options.keep?.(trial))];
    epochs *= options.eta;
  }
  return [...results.values()].sort((a, b) => b.rung - a.rung || better(a.score, b.score));
}
