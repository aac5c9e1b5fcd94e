// The start every trainer shares: a new run folder holding the experiment as run, or the folder being resumed with
// its latest good checkpoint; and the one way a run reports its state (state.json and the listener agree).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunStatus, TrainingListener } from '../../protocol/host';
import type { EngineInfo } from '../backend/select';
import type { LoadedCheckpoint } from './checkpointFiles';
import { latestGoodCheckpoint } from './checkpoints';
import { writeFileAtomic } from './atomic';
import { EXPERIMENT_FILE } from './layout';
import { appendMetrics, resumedEvent } from './metricsLog';
import { createRunFolder } from './runFolder';
import { acquireRunLock, releaseRunLock } from './runLock';
import { writeRunState } from './state';

export interface OpenRunOptions {
  /** The run folder to continue; a new folder under runsRoot otherwise. */
  resumeRunDir?: string;
  runsRoot: string;
  name: string;
  /** The experiment with every path absolute, so the run folder alone can resume or be re-evaluated. */
  snapshot: unknown;
  classes: string[];
  listener: Pick<TrainingListener, 'log'>;
}

export interface OpenedRun {
  runDir: string;
  checkpoint: LoadedCheckpoint | null;
}

/** Opens the run folder for writing: this process holds its lock until the run's final state (see stateEmitter). */
export async function openRun(options: OpenRunOptions): Promise<OpenedRun> {
  const runDir = options.resumeRunDir ?? (await createRunFolder(options.runsRoot, options.name));
  await acquireRunLock(runDir);
  try {
    if (options.resumeRunDir !== undefined) return { runDir, checkpoint: await resumePoint(runDir, options.listener) };
    await writeFileAtomic(join(runDir, EXPERIMENT_FILE), JSON.stringify(options.snapshot, null, 2));
    await writeFile(join(runDir, 'labels.json'), JSON.stringify(options.classes, null, 2));
    return { runDir, checkpoint: null };
  } catch (error) {
    await releaseRunLock(runDir);
    throw error;
  }
}

async function resumePoint(runDir: string, listener: OpenRunOptions['listener']): Promise<LoadedCheckpoint | null> {
  const checkpoint = await latestGoodCheckpoint(runDir, (message) => listener.log({ level: 'warn', message }));
  const { phase = '', phaseIndex = 0, epoch = 0 } = checkpoint?.manifest ?? {};
  await appendMetrics(runDir, resumedEvent(phase, phaseIndex, epoch));
  listener.log({ level: 'info', message: checkpoint ? `resuming after ${checkpoint.manifest.tag}` : 'no checkpoint yet: restarting the run from the beginning' });
  return checkpoint;
}

export type StateEmitter = (state: RunStatus, extra?: { phase?: string; epoch?: number; message?: string }) => Promise<void>;

/**
 * Writes state.json, then tells the listener: a window that reloads reads what a live one was told. Any state but
 * "running" is the run's last word, so it also gives up the run's lock.
 */
export function stateEmitter(runDir: string, engine: EngineInfo, listener: TrainingListener, skippedFiles: () => number, preprocessing?: string): StateEmitter {
  return async (state, extra = {}) => {
    try {
      await writeRunState(runDir, { state, engine: engine.detail, preprocessing, pid: process.pid, skippedFiles: skippedFiles(), ...extra });
    } finally {
      if (state !== 'running') await releaseRunLock(runDir);
    }
    listener.runState({ runDir, state, engine, preprocessing, ...extra });
  };
}
