// What the Experiments tree shows for a run, read from its folder (state.json, metrics.jsonl, the experiment snapshot).
// No vscode import: unit-tested on real run folders.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EXPERIMENT_FILE, effectiveHistory, listRuns, processAlive, readMetrics, readRunState, slugify, type RunStateName } from '../../engine/runs';

/** The run's exported model folder (engine/training/artifacts.ts, which we cannot import: it loads TensorFlow). */
export const RUN_MODEL_DIR = 'model';

/** A run that says "running" but whose host process is gone was interrupted (window closed, machine slept). */
export type RunDisplayState = RunStateName | 'interrupted' | 'unknown';

export interface RunSummary {
  runDir: string;
  state: RunDisplayState;
  bestValAccuracy?: number;
  /** Short engine name: tfjs-node, wasm or cpu. */
  engine?: string;
  phase?: string;
  epoch?: number;
  message?: string;
  hasModel: boolean;
}

export interface RunItemModel {
  label: string;
  description: string;
  tooltip: string;
  icon: string;
  contextValue: string;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

export async function summarizeRun(runDir: string, isAlive: (pid: number) => boolean = processAlive): Promise<RunSummary> {
  const [state, metrics, hasModel] = await Promise.all([
    readRunState(runDir).catch(() => null),
    readMetrics(runDir).catch(() => []),
    exists(join(runDir, RUN_MODEL_DIR, 'model.json')),
  ]);
  const accuracies = effectiveHistory(metrics).map((r) => r.valAccuracy).filter((a): a is number => typeof a === 'number' && Number.isFinite(a));
  const stale = state?.state === 'running' && state.pid !== undefined && !isAlive(state.pid);
  return {
    runDir,
    state: stale ? 'interrupted' : (state?.state ?? 'unknown'),
    bestValAccuracy: accuracies.length > 0 ? Math.max(...accuracies) : undefined,
    engine: state?.engine ? /^[\w-]+/.exec(state.engine)?.[0] : undefined,
    phase: state?.phase,
    epoch: state?.epoch,
    message: stale ? 'the training host ended without finishing this run — resume it' : state?.message,
    hasModel,
  };
}

const ICONS: Record<RunDisplayState, string> = {
  running: 'sync~spin', completed: 'pass', cancelled: 'debug-pause', diverged: 'warning', crashed: 'error', failed: 'error', interrupted: 'debug-disconnect', unknown: 'circle-outline',
};

/** "20261128-155615-name" → "11-28 15:56:15": the folder name holds the local start time; the year is in the tooltip. */
export function runDate(runDir: string): string {
  const m = /^\d{4}(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(basename(runDir));
  return m ? `${m[1]}-${m[2]} ${m[3]}:${m[4]}:${m[5]}` : basename(runDir);
}

export function runItemModel(run: RunSummary): RunItemModel {
  const accuracy = run.bestValAccuracy !== undefined ? `${(run.bestValAccuracy * 100).toFixed(1)}%` : undefined;
  const where = run.state === 'running' && run.phase ? `${run.phase} epoch ${run.epoch ?? 0}` : undefined;
  // the figure first: a narrow sidebar cuts the end of the line (the engine is in the tooltip)
  const description = [accuracy, run.state, where].filter(Boolean).join(' · ');
  const tooltip = [
    basename(run.runDir),
    `state: ${run.state}${run.message ? ` — ${run.message}` : ''}`,
    accuracy && `best validation accuracy: ${accuracy}`,
    run.engine && `engine: ${run.engine}`,
    run.runDir,
  ].filter(Boolean).join('\n');
  return {
    label: runDate(run.runDir),
    description,
    tooltip,
    icon: ICONS[run.state],
    // menus match on this: "run:<state>", plus ":model" when the run has a model to evaluate, predict with or export
    contextValue: `run:${run.state}${run.hasModel ? ':model' : ''}`,
  };
}

export function isResumable(state: RunDisplayState): boolean {
  return state === 'cancelled' || state === 'crashed' || state === 'interrupted' || state === 'failed' || state === 'diverged';
}

async function snapshotName(runDir: string): Promise<string | undefined> {
  try {
    const { name } = JSON.parse(await readFile(join(runDir, EXPERIMENT_FILE), 'utf8')) as { name?: unknown };
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Run folders of an experiment (in `runs/` beside its file, matched by experiment name), newest first. */
export async function runsOfExperiment(experimentFile: string, experimentName: string): Promise<string[]> {
  const runs = await listRuns(join(dirname(experimentFile), 'runs'));
  const slug = slugify(experimentName);
  const names = await Promise.all(runs.map(snapshotName));
  // before its snapshot is written a run is only known by its folder name: <stamp>-<slug>[-n]
  const matches = runs.filter((run, i) => names[i] === experimentName || (names[i] === undefined && new RegExp(`^\\d{8}-\\d{6}-${escape(slug)}(-\\d+)?$`).test(basename(run))));
  return matches.reverse();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
