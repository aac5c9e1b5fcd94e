// fastai's lr_find on a prepared phase: one step per rate, the rate growing exponentially, until the loss explodes;
// the suggestion is the rate where the smoothed loss falls fastest (per decade of rate) before its minimum.
import * as tf from '@tensorflow/tfjs';
import type { PhaseSpec } from '../../protocol/experiment';
import { createOptimizer, setLearningRate } from './learningRate';
import { trainStep } from './loop';
import type { PhasePlan } from './phases';

export interface SweepOptions {
  minLr: number;
  maxLr: number;
  steps: number;
  /** The sweep stops once the smoothed loss exceeds this multiple of its best. */
  explodeFactor: number;
  /** Exponential smoothing of the loss (fastai's 0.98 lags ~50 steps; 100 steps need a shorter memory). */
  beta: number;
}

export const SWEEP_DEFAULTS: SweepOptions = { minLr: 1e-7, maxLr: 10, steps: 100, explodeFactor: 4, beta: 0.9 };

export interface SweepResult {
  rates: number[];
  losses: number[];
  smoothed: number[];
  suggestion: number;
}

/** Debiased exponential moving average, as fastai's Recorder smooths the loss. */
export function smoothLosses(losses: number[], beta: number): number[] {
  let average = 0;
  return losses.map((loss, i) => {
    average = beta * average + (1 - beta) * loss;
    return average / (1 - beta ** (i + 1));
  });
}

/**
 * The rate at the steepest descent of the smoothed loss against log10(rate), looked for before the loss's minimum and
 * after the first tenth of the steps (fastai's skip_start: the average of a few batches is still mostly noise).
 */
export function suggestRate(rates: number[], smoothed: number[]): number {
  const end = smoothed.indexOf(Math.min(...smoothed));
  const start = Math.max(1, Math.floor(rates.length / 10));
  if (end <= start) return rates[end];
  let best = start;
  let steepest = Infinity;
  for (let i = start; i < end; i++) {
    const slope = (smoothed[i + 1] - smoothed[i - 1]) / (Math.log10(rates[i + 1]) - Math.log10(rates[i - 1]));
    if (slope < steepest) {
      steepest = slope;
      best = i;
    }
  }
  return rates[best];
}

/** Trains `plan` one batch per rate from minLr to maxLr (cycling its epochs); the caller restores or discards the weights. */
export async function sweepLearningRate(
  plan: Pick<PhasePlan, 'forward' | 'variables' | 'train'>, phase: Pick<PhaseSpec, 'optimizer' | 'learningRate'>,
  options: Partial<SweepOptions> & { classWeights?: number[]; signal?: AbortSignal; onStep?: (done: number, total: number) => void } = {},
): Promise<SweepResult> {
  const o = { ...SWEEP_DEFAULTS, ...options };
  const optimizer = createOptimizer(phase);
  const classWeights = options.classWeights && tf.tensor1d(options.classWeights);
  const rates: number[] = [], losses: number[] = [];
  let best = Infinity;
  try {
    for (let epoch = 1; rates.length < o.steps; epoch++) {
      for await (const { x, labels } of plan.train.epoch(epoch, options.signal)) {
        const rate = o.minLr * (o.maxLr / o.minLr) ** (rates.length / (o.steps - 1));
        setLearningRate(optimizer, rate);
        const { loss } = await trainStep({ forward: plan.forward, variables: plan.variables, optimizer, classWeights }, x, labels);
        tf.dispose([x, labels]);
        if (!Number.isFinite(loss)) return finish(rates, losses, o.beta);
        rates.push(rate);
        losses.push(loss);
        options.onStep?.(rates.length, o.steps);
        const smoothed = smoothLosses(losses, o.beta).at(-1)!;
        best = Math.min(best, smoothed);
        if (smoothed > o.explodeFactor * best || rates.length >= o.steps) return finish(rates, losses, o.beta);
      }
    }
    return finish(rates, losses, o.beta);
  } finally {
    optimizer.dispose();
    classWeights?.dispose();
  }
}

function finish(rates: number[], losses: number[], beta: number): SweepResult {
  if (rates.length < 3) throw new Error(`the learning-rate sweep ended after ${rates.length} steps (the loss was not finite) — lower minLr`);
  const smoothed = smoothLosses(losses, beta);
  return { rates, losses, smoothed, suggestion: suggestRate(rates, smoothed) };
}
