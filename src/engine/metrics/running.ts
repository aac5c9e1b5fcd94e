// Per-epoch averages of batch values: the last batch is often smaller, so a plain mean of batch means is biased.

export class RunningMean {
  private weightedSum = 0;
  private weightSum = 0;

  /** Adds one batch's mean value with its batch size as weight; a NaN value is kept so divergence stays visible. */
  add(value: number, weight = 1): void {
    if (!Number.isFinite(weight) || weight < 0) {
      throw new RangeError(`weight must be a finite number >= 0, got ${weight}`);
    }
    if (weight === 0) return;
    this.weightedSum += value * weight;
    this.weightSum += weight;
  }

  /** undefined until something with a positive weight was added (an empty epoch has no mean, not a mean of 0). */
  get mean(): number | undefined {
    return this.weightSum === 0 ? undefined : this.weightedSum / this.weightSum;
  }

  get totalWeight(): number {
    return this.weightSum;
  }

  reset(): void {
    this.weightedSum = 0;
    this.weightSum = 0;
  }
}

/** One RunningMean per metric name (loss, accuracy, ...), fed together once per batch. */
export class RunningMeans {
  private readonly byName = new Map<string, RunningMean>();

  add(values: Readonly<Record<string, number>>, weight = 1): void {
    for (const [name, value] of Object.entries(values)) {
      let running = this.byName.get(name);
      if (!running) this.byName.set(name, (running = new RunningMean()));
      running.add(value, weight);
    }
  }

  /** Means of every metric seen so far, skipping those that only ever had weight 0. */
  means(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, running] of this.byName) {
      const mean = running.mean;
      if (mean !== undefined) out[name] = mean;
    }
    return out;
  }

  reset(): void {
    this.byName.clear();
  }
}
