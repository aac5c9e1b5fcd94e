// Where a training run stands, folded from the host's notifications into the lines the status bar and the progress
// notification show. No vscode import: unit-tested.
import type { BatchMetrics, EpochMetrics, ProgressMessage, RunStateMessage, RunStatus } from '../../protocol/host';

export interface PhasePlan {
  name: string;
  epochs: number;
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

export class RunProgress {
  state: RunStatus | 'starting' = 'starting';
  runDir: string | undefined;
  private phaseIndex = 0;
  private epoch = 0;
  private batch: Pick<BatchMetrics, 'batch' | 'batches' | 'accuracy'> | undefined;
  private valAccuracy: number | undefined;
  private message: string | undefined;
  /** Work before the next batch: a download, feature extraction. */
  private preparing: string | undefined;
  private readonly totalEpochs: number;

  constructor(readonly experimentName: string, private readonly phases: readonly PhasePlan[]) {
    this.totalEpochs = phases.reduce((sum, phase) => sum + phase.epochs, 0);
  }

  runState(message: RunStateMessage): void {
    this.runDir = message.runDir;
    this.state = message.state;
    this.message = message.message;
  }

  stage(message: ProgressMessage): void {
    this.preparing = message.total > 0 ? `${message.message} ${message.done}/${message.total}` : message.message;
  }

  batchDone(metrics: BatchMetrics): void {
    this.preparing = undefined;
    this.phaseIndex = metrics.phaseIndex;
    this.epoch = metrics.epoch;
    this.batch = metrics;
  }

  /** Returns the share of the whole run (in percent) this epoch was, for a progress bar's increment. */
  epochDone(metrics: EpochMetrics): number {
    this.phaseIndex = metrics.phaseIndex;
    this.epoch = metrics.epoch;
    this.valAccuracy = metrics.valAccuracy;
    return this.totalEpochs > 0 ? 100 / this.totalEpochs : 0;
  }

  private get where(): string {
    const phase = this.phases[this.phaseIndex];
    if (!phase || this.epoch === 0) return '';
    const batch = this.batch ? ` · batch ${this.batch.batch}/${this.batch.batches}` : '';
    return `${phase.name} · epoch ${this.epoch}/${phase.epochs}${batch}`;
  }

  /** One line for the progress notification. */
  get detail(): string {
    if (this.state === 'starting') return 'starting: loading the data and the base model…';
    if (this.state !== 'running') return `${this.state}${this.message ? `: ${this.message}` : ''}`;
    const parts = [this.preparing ?? (this.where || 'preparing…')];
    if (this.batch) parts.push(`acc ${percent(this.batch.accuracy)}`);
    if (this.valAccuracy !== undefined) parts.push(`val acc ${percent(this.valAccuracy)}`);
    return parts.join(' · ');
  }

  /** The status bar's text, with a codicon for the state. */
  get statusText(): string {
    const icon = { starting: 'sync~spin', running: 'sync~spin', completed: 'check', cancelled: 'debug-pause', diverged: 'warning', crashed: 'error', failed: 'error' }[this.state];
    if (this.state === 'starting' || this.state === 'running') {
      const acc = this.batch ? ` · ${percent(this.batch.accuracy)}` : '';
      return `$(${icon}) ${this.where || `${this.experimentName}: ${this.state === 'starting' ? 'starting' : 'preparing'}`}${acc}`;
    }
    const val = this.valAccuracy !== undefined ? ` · val ${percent(this.valAccuracy)}` : '';
    return `$(${icon}) ${this.experimentName}: ${this.state}${val}`;
  }
}
