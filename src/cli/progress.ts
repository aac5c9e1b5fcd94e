// Terminal progress for a training run: one bar for feature extraction / downloads, one for the current epoch.
import { SingleBar, Presets } from 'cli-progress';
import type { BatchMetrics, EpochMetrics, ProgressMessage } from '../protocol/host';

export class RunProgress {
  private bar: SingleBar | undefined;
  private barKey = '';

  constructor(private readonly enabled: boolean, private readonly print: (line: string) => void) {}

  private show(key: string, total: number, format: string): SingleBar {
    if (this.bar && this.barKey === key) return this.bar;
    this.stop();
    this.bar = new SingleBar({ format, hideCursor: false, clearOnComplete: true, stopOnComplete: false, noTTYOutput: false, etaBuffer: 20 }, Presets.shades_classic);
    this.barKey = key;
    this.bar.start(total, 0, { loss: '-', acc: '-', speed: '-' });
    return this.bar;
  }

  progress(message: ProgressMessage): void {
    if (!this.enabled || message.total <= 0) return;
    this.show(`${message.stage}:${message.message}`, message.total, `${message.message} [{bar}] {value}/{total} {eta_formatted}`).update(message.done);
  }

  batch(metrics: BatchMetrics): void {
    if (!this.enabled) return;
    const label = `${metrics.phase} epoch ${metrics.epoch}`;
    const bar = this.show(label, metrics.batches, `${label} [{bar}] {value}/{total} loss {loss} acc {acc} {speed} img/s`);
    bar.update(metrics.batch, { loss: metrics.loss.toFixed(4), acc: metrics.accuracy.toFixed(3), speed: metrics.imagesPerSecond.toFixed(0) });
  }

  epoch(metrics: EpochMetrics): void {
    this.stop();
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    this.print(
      `${metrics.phase} epoch ${metrics.epoch}/${metrics.epochs}: loss ${metrics.loss.toFixed(4)} acc ${pct(metrics.accuracy)}` +
        ` | val loss ${metrics.val_loss.toFixed(4)} val acc ${pct(metrics.val_accuracy)} | ${metrics.seconds.toFixed(1)} s`,
    );
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
    this.barKey = '';
  }
}
