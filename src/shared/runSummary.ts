// One run model whatever its data: what a reader (tree, pickers, CLI, dashboard) knows of a run folder.
import type { RunKind } from './runLayout';
import type { RunDisplayState } from './runStates';

export interface RunSummary {
  runDir: string;
  kind: RunKind;
  /** The experiment's name as the run snapshotted it. */
  experiment?: string;
  state: RunDisplayState;
  bestValAccuracy?: number;
  /** Short engine name: tfjs-node, wasm or cpu. */
  engine?: string;
  phase?: string;
  epoch?: number;
  message?: string;
  /** The run left a model to evaluate, predict with or export (which file says so depends on the kind). */
  hasModel: boolean;
  hasEvaluation: boolean;
  /** Class names in label order; empty before the run has read its data. */
  classes: string[];
}

/** The kind an experiment (or a run's snapshot of it) trains: text when its data says so, image otherwise. */
export function runKindOf(experiment: unknown): RunKind {
  const data = (experiment as { data?: { kind?: unknown } } | null | undefined)?.data;
  return data?.kind === 'text' ? 'text' : 'image';
}
