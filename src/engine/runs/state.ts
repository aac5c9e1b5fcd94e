// state.json: where a run stands, rewritten atomically so readers (UI, resume) never see half a file.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic';
import { STATE_FILE } from './layout';
import { serializedByPath } from './queue';

export const RUN_STATES = ['running', 'completed', 'cancelled', 'diverged', 'crashed', 'failed'] as const;
export type RunStateName = (typeof RUN_STATES)[number];

export interface RunState {
  state: RunStateName;
  phase?: string;
  epoch?: number;
  batch?: number;
  engine?: string;
  /** Image runs: how pixels were scaled for the base and why (see src/shared/preprocessing.ts). */
  preprocessing?: string;
  /** ISO 8601 */
  startedAt: string;
  /** ISO 8601, set on every write */
  updatedAt: string;
  pid?: number;
  message?: string;
  skippedFiles?: number;
}

export type RunStatePatch = Partial<Omit<RunState, 'updatedAt'>>;

function invalid(file: string, why: string): Error {
  return new Error(`${file} ${why}; fix or delete the file (the run's checkpoints and metrics are kept)`);
}

/** The run's state, or null when the run has not written one yet. */
export async function readRunState(runDir: string): Promise<RunState | null> {
  const file = join(runDir, STATE_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(file, `is not valid JSON (${(error as Error).message})`);
  }
  const candidate = parsed as Partial<RunState> | null;
  if (typeof candidate !== 'object' || candidate === null || !RUN_STATES.includes(candidate.state as RunStateName)) {
    throw invalid(file, `has no valid "state" (expected one of ${RUN_STATES.join(', ')})`);
  }
  return candidate as RunState;
}

async function mergeAndWrite(runDir: string, patch: RunStatePatch, now: Date): Promise<RunState> {
  const current = await readRunState(runDir);
  const stamp = now.toISOString();
  const merged = { startedAt: stamp, ...current, ...patch, updatedAt: stamp };
  if (!merged.state) {
    throw new Error(`${join(runDir, STATE_FILE)} would have no "state"; the first writeRunState must set one`);
  }
  const next = merged as RunState;
  await writeFileAtomic(join(runDir, STATE_FILE), `${JSON.stringify(next, null, 2)}\n`);
  return next;
}

/** Merges the patch into state.json (keys set to undefined are dropped), stamps updatedAt, returns the result. */
export function writeRunState(runDir: string, patch: RunStatePatch, now = new Date()): Promise<RunState> {
  return serializedByPath(join(runDir, STATE_FILE), () => mergeAndWrite(runDir, patch, now));
}
