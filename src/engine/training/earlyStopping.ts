// Keras EarlyStopping semantics: stop after `patience` epochs without an improvement larger than `minDelta`.
import type { EarlyStoppingSpec } from '../../protocol/experiment';

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
