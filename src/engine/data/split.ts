// Carves val/test out of one pool of samples, class by class, so every class keeps its share in every split.
import { createRng, deriveSeed, shuffled } from '../random';
import { byPath, type Sample, type SplitSamples } from './types';

export interface SplitFractions {
  val: number;
  test: number;
}

function checkFractions(fractions: SplitFractions): void {
  for (const key of ['val', 'test'] as const) {
    const value = fractions[key];
    if (!(value >= 0 && value < 1)) throw new RangeError(`split fraction "${key}" is ${value}; use a number from 0 up to (not including) 1, e.g. 0.2`);
  }
  if (fractions.val + fractions.test >= 1) {
    throw new RangeError(`split fractions val ${fractions.val} + test ${fractions.test} leave nothing to train on; keep their sum below 1, e.g. 0.2 + 0.1`);
  }
}

/** How many of n samples go to val and test: rounded shares, at least one val when possible, one train always. */
export function splitShares(n: number, fractions: SplitFractions): { val: number; test: number } {
  let val = Math.min(Math.round(n * fractions.val), n - 1);
  if (fractions.val > 0 && n >= 2) val = Math.max(val, 1);
  return { val, test: Math.min(Math.round(n * fractions.test), n - 1 - val) };
}

export function stratifiedSplit(samples: readonly Sample[], fractions: SplitFractions, seed: number): SplitSamples {
  checkFractions(fractions);
  const byLabel = new Map<number, Sample[]>();
  for (const sample of samples) {
    const group = byLabel.get(sample.label) ?? [];
    group.push(sample);
    byLabel.set(sample.label, group);
  }
  const out: SplitSamples = { train: [], val: [], test: [] };
  for (const [label, group] of byLabel) {
    // Sorting first makes the split independent of the order the caller passed samples in.
    const order = shuffled(group.sort(byPath), createRng(deriveSeed(seed, `split:${label}`)));
    const { val, test } = splitShares(order.length, fractions);
    order.forEach((sample, i) => out[i < val ? 'val' : i < val + test ? 'test' : 'train'].push(sample));
  }
  for (const list of Object.values(out)) list.sort(byPath);
  return out;
}
