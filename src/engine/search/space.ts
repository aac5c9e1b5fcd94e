// What the search varies: the base and the head's recipe. Seeded samples, learning rate on a log scale.
import type { ClassWeightsSpec } from '../../protocol/experiment';
import type { Rng } from '../random';

export interface HeadSettings {
  learningRate: number;
  dropout: number;
  hiddenUnits: number;
  classWeights: Extract<ClassWeightsSpec, string>;
}

export interface TrialSettings extends HeadSettings {
  /** Index into the search's bases. */
  base: number;
}

const LEARNING_RATE = [1e-4, 3e-2] as const;
const DROPOUT = [0, 0.2, 0.4, 0.6];
const HIDDEN_UNITS = [0, 0, 128, 256];
const CLASS_WEIGHTS = ['none', 'balanced'] as const;

const pick = <T>(rng: Rng, choices: readonly T[]): T => choices[Math.floor(rng() * choices.length)];

/**
 * Trial i's base is i mod bases, so every base gets its share of trials. The first trial of each base is the
 * experiment's own head and rate (`start`), so a drawn setting wins only by beating it on the folds; the rest is drawn.
 */
export function sampleTrials(count: number, bases: number, rng: Rng, start?: HeadSettings): TrialSettings[] {
  const [low, high] = LEARNING_RATE;
  return Array.from({ length: count }, (_, i) => {
    const drawn = {
      learningRate: Number((low * (high / low) ** rng()).toPrecision(2)),
      dropout: pick(rng, DROPOUT),
      hiddenUnits: pick(rng, HIDDEN_UNITS),
      classWeights: pick(rng, CLASS_WEIGHTS),
    };
    return { base: i % bases, ...(start && i < bases ? start : drawn) };
  });
}
