// A TrainingListener that records everything, for assertions on what a run reported.
import * as tf from '@tensorflow/tfjs';
import type { BatchMetrics, EpochMetrics, LogMessage, ProgressMessage, RunStateMessage, TrainingListener } from '../../../src/protocol/host';

export class RecordingListener implements TrainingListener {
  logs: LogMessage[] = [];
  progresses: ProgressMessage[] = [];
  states: RunStateMessage[] = [];
  batches: BatchMetrics[] = [];
  epochs: (EpochMetrics & { numTensors: number })[] = [];
  onBatch?: (metrics: BatchMetrics) => void;

  log(message: LogMessage) { this.logs.push(message); }
  progress(message: ProgressMessage) { this.progresses.push(message); }
  runState(message: RunStateMessage) { this.states.push(message); }
  batch(metrics: BatchMetrics) {
    this.batches.push(metrics);
    this.onBatch?.(metrics);
  }
  epoch(metrics: EpochMetrics) { this.epochs.push({ ...metrics, numTensors: tf.memory().numTensors }); }

  /** Images the run pushed through frozen layers (0 when every activation came from the cache). */
  computedImages(): number {
    return this.progresses.filter((p) => p.stage === 'features' && p.done === 0).reduce((sum, p) => sum + p.total, 0);
  }
}
