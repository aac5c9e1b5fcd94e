// Where a run stands: the states state.json may hold, and how readers group them.

export const RUN_STATES = ['running', 'completed', 'cancelled', 'diverged', 'crashed', 'failed'] as const;
export type RunStateName = (typeof RUN_STATES)[number];

/** States shown as errors (red status bar, error message in the dashboard). */
export const ERROR_STATES: readonly RunStateName[] = ['diverged', 'crashed', 'failed'];

/** What a reader shows: a "running" run whose process is gone was interrupted; a folder without state.json is unknown. */
export type RunDisplayState = RunStateName | 'interrupted' | 'unknown';

/** Runs that stopped before the end and can continue from their last checkpoint. */
export function isResumable(state: RunDisplayState): boolean {
  return state === 'cancelled' || state === 'crashed' || state === 'interrupted' || state === 'failed' || state === 'diverged';
}

export function isErrorState(state: string): boolean {
  return (ERROR_STATES as readonly string[]).includes(state);
}
