// Where a run stands: elapsed time, throughput, and an honest estimate of what is left of the current phase.
import type { RunSnapshot } from '../../src/protocol/webview';

export interface Progress {
  phaseIndex: number;
  epoch: number;
  epochs: number;
  batch?: number;
  batches?: number;
  elapsedSeconds: number;
  imagesPerSecond?: number;
  /** Seconds left in the current phase, when the run is going and there is enough to estimate from. */
  phaseEtaSeconds?: number;
  /** Phases after the current one (their speed is unknown: fine-tuning is far slower than feature extraction). */
  laterPhases: number;
}

const RECENT_BATCHES = 20;
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined);

export function runProgress(run: RunSnapshot, nowMs: number): Progress {
  const { state, header, epochs, batches } = run;
  const started = state.startedAt ? Date.parse(state.startedAt) : NaN;
  const end = state.state === 'running' ? nowMs : state.updatedAt ? Date.parse(state.updatedAt) : nowMs;
  const lastBatch = batches.at(-1);
  const lastEpoch = epochs.at(-1);
  const phaseIndex = Math.max(lastBatch?.phaseIndex ?? 0, lastEpoch?.phaseIndex ?? 0);
  const phase = header.phases[phaseIndex];
  const inPhase = <T extends { phaseIndex: number }>(list: readonly T[]) => list.filter((p) => p.phaseIndex === phaseIndex);
  const current = lastBatch && lastBatch.phaseIndex === phaseIndex ? lastBatch : undefined;
  const epoch = Math.max(current?.epoch ?? 0, inPhase(epochs).at(-1)?.epoch ?? 0);
  const recent = inPhase(batches).slice(-RECENT_BATCHES).map((b) => b.imagesPerSecond).filter((v): v is number => v !== null && v > 0);
  const progress: Progress = {
    phaseIndex, epoch, epochs: phase?.epochs ?? epoch, batch: current?.batch, batches: current?.batches,
    elapsedSeconds: Number.isFinite(started) ? Math.max(0, (end - started) / 1000) : NaN,
    imagesPerSecond: mean(recent), laterPhases: Math.max(0, header.phases.length - phaseIndex - 1),
  };
  if (state.state !== 'running' || !current || !phase) return progress;
  const epochSeconds = mean(inPhase(epochs).map((e) => e.seconds).filter((s): s is number => s !== null));
  const secondsPerBatch = epochSeconds !== undefined ? epochSeconds / Math.max(1, current.batches) : progress.imagesPerSecond ? phase.batchSize / progress.imagesPerSecond : undefined;
  if (secondsPerBatch === undefined) return progress;
  const batchesLeft = (current.batches - current.batch) + Math.max(0, phase.epochs - current.epoch) * current.batches;
  return { ...progress, phaseEtaSeconds: batchesLeft * secondsPerBatch };
}
