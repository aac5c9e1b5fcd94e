// The phase driver of every run: runs each phase's loop with the run's callbacks (early stopping, metrics log,
// checkpoints, state) and turns its outcome into the run's state.
import * as tf from '@tensorflow/tfjs';
import { phaseName, type Experiment, type PhaseSpec } from '../../protocol/experiment';
import type { PhaseSummary, RunStatus, TrainingListener } from '../../protocol/host';
import { appendMetrics, phaseEndedEvent, type LoadedCheckpoint } from '../runs';
import { epochStep, type TensorBoardLog } from '../runs/tensorboard/tensorboardLog';
import { CheckpointCallback, MetricsLogCallback, PLATEAU_STATE, RunStateCallback, TensorBoardCallback } from './callbacks';
import type { ResolvedClassWeights } from './classWeights';
import { EarlyStoppingCallback } from './earlyStopping';
import type { Forward } from './evaluate';
import { createOptimizer, PhaseLearningRate, type PlateauState } from './learningRate';
import { runPhaseLoop } from './loop';
import type { BatchSource } from './sources';
import type { NamedWeights } from './tensors';

/** What a trainer builds for one phase: the same shape for images and text. */
export interface PhasePlan {
  forward: Forward;
  variables: tf.Variable[];
  train: BatchSource;
  trainableParams: number;
  description: string;
}

export interface PhaseDriver<P extends PhasePlan> {
  runDir: string;
  experiment: Pick<Experiment, 'phases' | 'callbacks'>;
  listener: TrainingListener;
  signal?: AbortSignal;
  checkpoint: LoadedCheckpoint | null;
  tensorboard: TensorBoardLog;
  /** The training loss's class weights, resolved before the run folder opened. */
  classWeights?: ResolvedClassWeights;
  prepare(phaseIndex: number): Promise<P>;
  /** Validation batches for a prepared phase. */
  validation(prepared: P): Promise<BatchSource>;
  snapshot(): NamedWeights[];
  restore(saved: readonly NamedWeights[]): void;
  emitState(state: RunStatus, extra: { phase?: string; epoch?: number }): Promise<void>;
}

export interface PhasesResult<P> {
  state: RunStatus;
  message?: string;
  epochsRun: number;
  summaries: PhaseSummary[];
  /** The last phase prepared: its forward and sources evaluate the finished model. */
  prepared?: P;
}

/** Where to start: after the restored checkpoint's epoch, or at the next phase when that phase had finished. */
export function startPoint(checkpoint: LoadedCheckpoint | null, phases: PhaseSpec[]): { phaseIndex: number; epoch: number } {
  const manifest = checkpoint?.manifest;
  if (!manifest) return { phaseIndex: 0, epoch: 1 };
  const finished = manifest.extra?.phaseFinished === true || manifest.epoch >= phases[manifest.phaseIndex].epochs;
  return finished ? { phaseIndex: manifest.phaseIndex + 1, epoch: 1 } : { phaseIndex: manifest.phaseIndex, epoch: manifest.epoch + 1 };
}

/** Undefined when the user's stop interrupted `work` (caching activations, building validation batches); other errors pass. */
async function unlessStopped<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (signal?.aborted) return undefined;
    throw error;
  }
}

export async function runPhases<P extends PhasePlan>(driver: PhaseDriver<P>): Promise<PhasesResult<P>> {
  const { runDir, experiment, listener } = driver;
  const start = startPoint(driver.checkpoint, experiment.phases);
  const result: PhasesResult<P> = { state: 'running', epochsRun: 0, summaries: [] };
  if (driver.classWeights) listener.log({ level: 'info', message: `class weights: ${driver.classWeights.reason}` });
  for (let p = start.phaseIndex; p < experiment.phases.length && result.state === 'running'; p++) {
    const phase = experiment.phases[p];
    const name = phaseName(phase, p);
    const ready = await unlessStopped(driver.signal, async () => {
      const prepared = await driver.prepare(p);
      return { prepared, val: await driver.validation(prepared) };
    });
    if (!ready) {
      result.state = 'cancelled';
      result.message = `stopped by the user while preparing phase "${name}"`;
      break;
    }
    const { prepared, val } = ready;
    result.prepared = prepared;
    listener.log({ level: 'info', message: `phase ${p + 1}/${experiment.phases.length} "${name}": ${prepared.trainableParams.toLocaleString('en-US')} trainable parameters; ${prepared.description}` });
    const optimizer = createOptimizer(phase);
    const classWeights = driver.classWeights?.weights && tf.tensor1d(driver.classWeights.weights);
    const info = { runDir, name, index: p, epochs: phase.epochs };
    const resumedWithin = p === start.phaseIndex && start.epoch > 1;
    const saved = resumedWithin ? (driver.checkpoint?.manifest.extra?.[PLATEAU_STATE] as PlateauState | undefined) : undefined;
    const learningRate = new PhaseLearningRate(phase, optimizer, Math.ceil(prepared.train.count / phase.batchSize), saved);
    const spec = experiment.callbacks.earlyStopping;
    const earlyStopping = spec ? new EarlyStoppingCallback(spec, driver) : undefined;
    const metricsLog = new MetricsLogCallback(info, listener, () => (result.epochsRun += 1));
    const outcome = await runPhaseLoop({
      forward: prepared.forward, variables: prepared.variables, optimizer, train: prepared.train, val,
      firstEpoch: p === start.phaseIndex ? start.epoch : 1, lastEpoch: phase.epochs, batchSize: phase.batchSize, classWeights, signal: driver.signal,
      learningRate: (epoch, batch) => learningRate.beforeStep(epoch, batch),
      // in this order: early stopping marks the epoch before it is logged and checkpointed; the schedule's next rate is checkpointed
      callbacks: [
        learningRate, ...(earlyStopping ? [earlyStopping] : []), metricsLog, new TensorBoardCallback(driver.tensorboard, (epoch) => epochStep(experiment.phases, p, epoch)),
        new CheckpointCallback(info, experiment.callbacks.checkpoint, driver, earlyStopping, learningRate),
        new RunStateCallback(info, listener, driver.emitState),
      ],
    });
    await metricsLog.flush();
    optimizer.dispose();
    classWeights?.dispose();
    if (outcome.kind === 'diverged') {
      result.state = 'diverged';
      result.message = `loss became ${outcome.loss} at phase "${name}", epoch ${outcome.epoch}, batch ${outcome.batch}; the last good checkpoint is kept — lower the learning rate`;
    } else if (outcome.kind === 'cancelled') {
      result.state = 'cancelled';
      result.message = `stopped by the user during phase "${name}", epoch ${outcome.epoch}`;
    } else {
      if (outcome.restoredEpoch) listener.log({ level: 'info', message: `phase "${name}": restored the weights of its best epoch, ${outcome.restoredEpoch}` });
      const stoppedEarly = outcome.kind === 'stopped-early';
      if (stoppedEarly || outcome.restoredEpoch) await appendMetrics(runDir, phaseEndedEvent({ phaseIndex: p, phase: name, epoch: outcome.epoch, plannedEpochs: phase.epochs, stoppedEarly, restoredEpoch: outcome.restoredEpoch }));
      result.summaries.push({ name, epochs: outcome.epoch, valAccuracy: outcome.val?.accuracy ?? NaN, valLoss: outcome.val?.loss ?? NaN, trainableParams: prepared.trainableParams, stoppedEarly: outcome.kind === 'stopped-early' });
    }
  }
  // resumed after the final checkpoint (killed before evaluation and export): the last phase still evaluates the model
  if (result.state === 'running' && !result.prepared) result.prepared = await driver.prepare(experiment.phases.length - 1);
  return result;
}
