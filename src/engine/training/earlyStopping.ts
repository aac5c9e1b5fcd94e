// Keras EarlyStopping semantics: stop after `patience` epochs without an improvement larger than `minDelta`; the
// callback keeps the best epoch's weights and, with restoreBestWeights, ends the phase on them.
import type { EarlyStoppingSpec } from '../../protocol/experiment';
import type { EpochReport, LoopControl, TrainingCallback } from './loop';
import type { NamedWeights } from './tensors';

export interface EpochScores {
  valLoss: number;
  valAccuracy: number;
}

export class EarlyStopping {
  private bestValue: number | undefined;
  private wait = 0;
  bestEpoch: number | undefined;

  constructor(private readonly spec: EarlyStoppingSpec) {}

  private score(scores: EpochScores): number {
    return this.spec.monitor === 'val_loss' ? scores.valLoss : scores.valAccuracy;
  }

  private isImprovement(value: number): boolean {
    if (this.bestValue === undefined) return true;
    return this.spec.monitor === 'val_loss' ? value < this.bestValue - this.spec.minDelta : value > this.bestValue + this.spec.minDelta;
  }

  /** Records one epoch; `improved` means its weights are the new best, `stop` that training should end now. */
  update(epoch: number, scores: EpochScores): { improved: boolean; stop: boolean } {
    const value = this.score(scores);
    if (this.isImprovement(value)) {
      this.bestValue = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      return { improved: true, stop: false };
    }
    this.wait += 1;
    return { improved: false, stop: this.wait >= this.spec.patience };
  }
}

/** The weights early stopping keeps and puts back (the phase's trainable weights, as checkpoints store them). */
export interface TrackedWeights {
  snapshot(): NamedWeights[];
  restore(saved: readonly NamedWeights[]): void;
}

/** Keras' EarlyStopping callback: marks improving epochs, keeps their weights, stops the phase after `patience`. */
export class EarlyStoppingCallback implements TrainingCallback {
  private readonly stopper: EarlyStopping;
  /** The best epoch's weights so far (undefined until an epoch improves). */
  best: NamedWeights[] | undefined;

  constructor(private readonly spec: EarlyStoppingSpec, private readonly weights: TrackedWeights) {
    this.stopper = new EarlyStopping(spec);
  }

  onEpochEnd(epoch: EpochReport, control: LoopControl): void {
    const decision = this.stopper.update(epoch.epoch, { valLoss: epoch.valLoss, valAccuracy: epoch.valAccuracy });
    epoch.improved = decision.improved;
    if (decision.improved) this.best = this.weights.snapshot();
    if (decision.stop) control.stopTraining = true;
  }

  /** The weights the phase ends with: its best epoch's with restoreBestWeights (Keras 3: stopped early or not). */
  endingWeights(): NamedWeights[] | undefined {
    return this.spec.restoreBestWeights ? this.best : undefined;
  }

  onPhaseEnd(lastEpoch: number): number | undefined {
    const bestEpoch = this.stopper.bestEpoch;
    if (!this.spec.restoreBestWeights || !this.best || bestEpoch === undefined || bestEpoch === lastEpoch) return undefined;
    this.weights.restore(this.best);
    return bestEpoch;
  }
}
