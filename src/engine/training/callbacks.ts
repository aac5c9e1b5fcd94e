// The run's epoch callbacks, one concern each (Keras' CSVLogger, TensorBoard, ModelCheckpoint, ProgbarLogger): the
// metrics log, the TensorBoard event file, the checkpoints, and the run state the clients see. Early stopping is in earlyStopping.ts.
import type { Experiment } from '../../protocol/experiment';
import type { RunStatus, TrainingListener } from '../../protocol/host';
import { appendMetrics, BEST_TAG, epochCheckpointTag, pruneCheckpoints, saveCheckpoint } from '../runs';
import type { TensorBoardLog } from '../runs/tensorboard/tensorboardLog';
import type { EarlyStoppingCallback, TrackedWeights } from './earlyStopping';
import type { PhaseLearningRate } from './learningRate';
import type { EpochReport, LoopControl, StepReport, TrainingCallback } from './loop';

/** Where a checkpoint keeps a plateau schedule's rate and counters (read back by phases.ts on resume). */
export const PLATEAU_STATE = 'learningRateSchedule';

/** Which phase the callbacks are recording. */
export interface PhaseInfo {
  runDir: string;
  name: string;
  index: number;
  epochs: number;
}

/** An epoch as metrics.jsonl and the clients see it: validation metrics under Keras' names (History, CSVLogger). */
function epochRecord(phase: PhaseInfo, { valLoss, valAccuracy, ...epoch }: EpochReport) {
  return { phase: phase.name, phaseIndex: phase.index, epochs: phase.epochs, ...epoch, val_loss: valLoss, val_accuracy: valAccuracy };
}

/** Appends every batch and epoch to metrics.jsonl (batches without waiting; an epoch waits for them first). */
export class MetricsLogCallback implements TrainingCallback {
  private readonly writes: Promise<void>[] = [];

  constructor(private readonly phase: PhaseInfo, private readonly listener: TrainingListener, private readonly onEpoch: () => void) {}

  onBatchEnd(step: StepReport): void {
    const { runDir, name, index } = this.phase;
    const metrics = { runDir, phase: name, phaseIndex: index, ...step };
    this.listener.batch(metrics);
    this.writes.push(appendMetrics(runDir, { type: 'batch', ...metrics, runDir: undefined }));
  }

  async onEpochEnd(epoch: EpochReport): Promise<void> {
    this.onEpoch();
    await this.flush();
    // logged before its checkpoint: a kill in between redoes the epoch (the resume drops this record) instead of losing it
    await appendMetrics(this.phase.runDir, { type: 'epoch', ...epochRecord(this.phase, epoch) });
  }

  /** Waits for the batch records still being written (a cancelled or diverged phase ends between epochs). */
  async flush(): Promise<void> {
    await Promise.all(this.writes.splice(0));
  }
}

/** Logs each epoch's scalars under Keras' names, at the epoch's step across phases. */
export class TensorBoardCallback implements TrainingCallback {
  constructor(private readonly log: TensorBoardLog, private readonly stepOf: (epoch: number) => number) {}

  async onEpochEnd(epoch: EpochReport): Promise<void> {
    const { loss, accuracy, valLoss, valAccuracy, learningRate } = epoch;
    await this.log.scalars(this.stepOf(epoch.epoch), { loss, accuracy, val_loss: valLoss, val_accuracy: valAccuracy, learning_rate: learningRate });
  }
}

/** Saves each epoch's checkpoint (and the best one), keeping the newest `keep`. */
export class CheckpointCallback implements TrainingCallback {
  constructor(
    private readonly phase: PhaseInfo,
    private readonly spec: Experiment['callbacks']['checkpoint'],
    private readonly weights: TrackedWeights,
    private readonly earlyStopping: EarlyStoppingCallback | undefined,
    private readonly learningRate: PhaseLearningRate,
  ) {}

  async onEpochEnd(epoch: EpochReport, control: LoopControl): Promise<void> {
    const { runDir, name, index } = this.phase;
    const meta = { phase: name, phaseIndex: index, epoch: epoch.epoch, extra: { phaseFinished: control.phaseEnds, [PLATEAU_STATE]: this.learningRate.checkpointState() } };
    // a phase's last checkpoint holds the weights it ends with (its best, restored), so resuming from it goes on as the run would
    const ending = control.phaseEnds ? this.earlyStopping?.endingWeights() : undefined;
    await saveCheckpoint(runDir, epochCheckpointTag(index, epoch.epoch), ending ?? this.weights.snapshot(), meta);
    if (epoch.improved) await saveCheckpoint(runDir, BEST_TAG, this.earlyStopping?.best ?? this.weights.snapshot(), meta);
    await pruneCheckpoints(runDir, this.spec.keep);
  }
}

/** Tells the clients an epoch ended and writes the run's state. */
export class RunStateCallback implements TrainingCallback {
  constructor(
    private readonly phase: PhaseInfo,
    private readonly listener: TrainingListener,
    private readonly emitState: (state: RunStatus, extra: { phase?: string; epoch?: number }) => Promise<void>,
  ) {}

  async onEpochEnd(epoch: EpochReport): Promise<void> {
    this.listener.epoch({ runDir: this.phase.runDir, ...epochRecord(this.phase, epoch) });
    await this.emitState('running', { phase: this.phase.name, epoch: epoch.epoch });
  }
}
