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
  /** What that work prepares ("preparing fine-tune"), decided when it starts. */
  private preparingFor: string | undefined;
  private readonly totalEpochs: number;

  /** `examples` names what the run trains on ("images", "texts"). */
  constructor(readonly experimentName: string, private readonly phases: readonly PhasePlan[], private readonly examples = 'images') {
    this.totalEpochs = phases.reduce((sum, phase) => sum + phase.epochs, 0);
  }

  runState(message: RunStateMessage): void {
    this.runDir = message.runDir;
    this.state = message.state;
    this.message = message.message;
  }

  /** The host's stage, in the user's words: "preparing fine-tune: caching the frozen layers' output, 120 of 480 images". */
  stage(message: ProgressMessage): void {
    // before any epoch the first phase is being prepared; after one, the next phase (or the final evaluation)
    const next = this.epoch === 0 ? this.phases[this.phaseIndex] : this.phases[this.phaseIndex + 1];
    this.preparingFor ??= next ? `preparing ${next.name}` : 'preparing the final evaluation';
    const of = (unit: string) => (message.total > 0 ? `, ${message.done} of ${message.total} ${unit}` : '');
    const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
    switch (message.stage) {
      case 'features':
        this.preparing = message.total > 0 ? `${this.preparingFor}: caching the frozen layers' output${of(this.examples)}` : `${this.preparingFor}: reading the cached frozen layers' output`;
        break;
      case 'download':
        this.preparing = `${this.preparingFor}: ${message.message}${message.total > 0 ? `, ${mb(message.done)} of ${mb(message.total)} MB` : ''}`;
        break;
      default:
        this.preparing = `${message.stage === 'evaluate' ? 'evaluating' : 'predicting'}${of(this.examples)}`;
    }
  }

  batchDone(metrics: BatchMetrics): void {
    this.preparing = undefined;
    this.preparingFor = undefined;
    this.phaseIndex = metrics.phaseIndex;
    this.epoch = metrics.epoch;
    this.batch = metrics;
  }

  /** Returns the share of the whole run (in percent) this epoch was, for a progress bar's increment. */
  epochDone(metrics: EpochMetrics): number {
    this.phaseIndex = metrics.phaseIndex;
    this.epoch = metrics.epoch;
    this.valAccuracy = metrics.val_accuracy;
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
    if (this.batch && !this.preparing) parts.push(`acc ${percent(this.batch.accuracy)}`);
    if (this.valAccuracy !== undefined) parts.push(`val acc ${percent(this.valAccuracy)}`);
    return parts.join(' · ');
  }

  /** The status bar's text, with a codicon for the state. */
  get statusText(): string {
    const icon = { starting: 'sync~spin', running: 'sync~spin', completed: 'check', cancelled: 'debug-pause', diverged: 'warning', crashed: 'error', failed: 'error' }[this.state];
    if (this.state === 'starting' || this.state === 'running') {
      // while a phase is prepared the status bar says so too, not the epoch that ended before it
      if (this.preparing) return `$(${icon}) ${this.experimentName}: ${this.preparing}`;
      const acc = this.batch ? ` · ${percent(this.batch.accuracy)}` : '';
      return `$(${icon}) ${this.where || `${this.experimentName}: ${this.state === 'starting' ? 'starting' : 'preparing'}`}${acc}`;
    }
    const val = this.valAccuracy !== undefined ? ` · val ${percent(this.valAccuracy)}` : '';
    return `$(${icon}) ${this.experimentName}: ${this.state}${val}`;
  }
}
