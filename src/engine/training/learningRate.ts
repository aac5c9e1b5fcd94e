// A phase's learning rate over its steps: constant, cosine with a linear warmup (per step), or Keras' ReduceLROnPlateau
// (per epoch). The loop asks for each step's rate and the optimizer is set to it, so metrics.jsonl records what trained.
import * as tf from '@tensorflow/tfjs';
import { FusedAdam } from '../backend/fusedAdam';
import type { LearningRateSchedule, PhaseSpec } from '../../protocol/experiment';
import type { EpochReport, TrainingCallback } from './loop';

export function createOptimizer(phase: Pick<PhaseSpec, 'optimizer' | 'learningRate'>): tf.Optimizer {
  if (phase.optimizer === 'sgd') return tf.train.sgd(phase.learningRate);
  if (phase.optimizer === 'rmsprop') return tf.train.rmsprop(phase.learningRate);
  // tf.train.adam's defaults (beta 0.9 / 0.999, the backend's epsilon), one pass per variable (see fusedAdam.ts).
  return new FusedAdam(phase.learningRate, 0.9, 0.999);
}

/** Adam and RMSprop read `learningRate` at every step; SGD keeps it as a tensor it rebuilds in setLearningRate
 * (tfjs optimizers answer `instanceof` by duck typing, so the method itself is checked). */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const sgd = optimizer as Partial<tf.SGDOptimizer>;
  if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(rate);
  else (optimizer as unknown as { learningRate: number }).learningRate = rate;
}

/** Cosine decay from `base` to `minLr` over `totalSteps`, after `warmupSteps` rising linearly to `base` (step is 0-based). */
export function cosineRate(base: number, step: number, totalSteps: number, warmupSteps: number, minLr: number): number {
  if (step < warmupSteps) return (base * (step + 1)) / warmupSteps;
  const span = Math.max(1, totalSteps - warmupSteps);
  const progress = Math.min(1, (step - warmupSteps) / span);
  return minLr + ((base - minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
}

type PlateauSpec = Required<Extract<LearningRateSchedule, { type: 'plateau' }>>;
/** Keras' ReduceLROnPlateau defaults (the schema's). */
const PLATEAU_DEFAULTS: PlateauSpec = { type: 'plateau', monitor: 'val_loss', factor: 0.1, patience: 10, minDelta: 1e-4, cooldown: 0, minLr: 0 };

/** What a checkpoint keeps of a plateau schedule, so a resumed phase goes on with the same rate and counters. */
export interface PlateauState {
  rate: number;
  best: number | null;
  wait: number;
  cooldownCounter: number;
}

/** Keras' ReduceLROnPlateau.on_epoch_end, step for step (cooldown is counted down before the comparison). */
export class ReduceOnPlateau {
  readonly spec: PlateauSpec;
  state: PlateauState;

  constructor(spec: Extract<LearningRateSchedule, { type: 'plateau' }>, rate: number) {
    this.spec = { ...PLATEAU_DEFAULTS, ...spec };
    this.state = { rate, best: null, wait: 0, cooldownCounter: 0 };
  }

  private improves(value: number, best: number | null): boolean {
    if (best === null) return true;
    return this.spec.monitor === 'val_loss' ? value < best - this.spec.minDelta : value > best + this.spec.minDelta;
  }

  /** Records one epoch's monitored value; returns the rate of the next epoch. */
  update(value: number): number {
    const s = this.state;
    if (s.cooldownCounter > 0) {
      s.cooldownCounter -= 1;
      s.wait = 0;
    }
    if (this.improves(value, s.best)) {
      s.best = value;
      s.wait = 0;
    } else if (s.cooldownCounter === 0) {
      s.wait += 1;
      if (s.wait >= this.spec.patience && s.rate > this.spec.minLr) {
        s.rate = Math.max(s.rate * this.spec.factor, this.spec.minLr);
        s.cooldownCounter = this.spec.cooldown;
        s.wait = 0;
      }
    }
    return s.rate;
  }
}

/** The rate of every step of one phase, applied to its optimizer; a plateau schedule also listens to epoch ends. */
export class PhaseLearningRate implements TrainingCallback {
  private readonly plateau: ReduceOnPlateau | undefined;

  constructor(
    private readonly phase: Pick<PhaseSpec, 'learningRate' | 'learningRateSchedule' | 'epochs'>,
    private readonly optimizer: tf.Optimizer,
    private readonly stepsPerEpoch: number,
    /** A plateau schedule's counters from the checkpoint a resumed phase starts at. */
    saved?: PlateauState,
  ) {
    const spec = phase.learningRateSchedule;
    this.plateau = spec?.type === 'plateau' ? new ReduceOnPlateau(spec, phase.learningRate) : undefined;
    if (this.plateau && saved) this.plateau.state = { ...saved };
  }

  /** The rate of step `batch` (1-based) of `epoch` (1-based), set on the optimizer before the step runs. */
  beforeStep(epoch: number, batch: number): number {
    const rate = this.rateAt(epoch, batch);
    setLearningRate(this.optimizer, rate);
    return rate;
  }

  rateAt(epoch: number, batch: number): number {
    const spec = this.phase.learningRateSchedule;
    if (spec?.type === 'cosine') {
      const warmup = spec.warmupSteps ?? (spec.warmupEpochs ?? 0) * this.stepsPerEpoch;
      return cosineRate(this.phase.learningRate, (epoch - 1) * this.stepsPerEpoch + (batch - 1), this.phase.epochs * this.stepsPerEpoch, warmup, spec.minLr ?? 0);
    }
    return this.plateau?.state.rate ?? this.phase.learningRate;
  }

  onEpochEnd(epoch: EpochReport): void {
    this.plateau?.update(this.plateau.spec.monitor === 'val_loss' ? epoch.valLoss : epoch.valAccuracy);
  }

  /** What a checkpoint keeps to resume the schedule (plateau only: the others follow from the step). */
  checkpointState(): PlateauState | undefined {
    return this.plateau && { ...this.plateau.state };
  }
}
