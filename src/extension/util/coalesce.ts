// Runs work once for a burst of requests, at most `delayMs` after the burst's first: a debounce that restarts on
// every request never runs while a fast training run reports its state every few hundred milliseconds.
import type { Disposable } from './emitter';

export class Coalesced implements Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly delayMs: number, private readonly work: () => void) {}

  request(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.work();
    }, this.delayMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
