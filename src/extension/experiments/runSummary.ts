// How the Experiments tree and pickers show a run (its RunSummary comes from engine/runs, the same for every kind).
// No vscode import: unit-tested on real run folders.
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { listRuns, slugify } from '../../engine/runs';
import { EXPERIMENT_FILE, RUNS_DIR } from '../../shared/runLayout';
import type { RunSummary } from '../../shared/runSummary';
import type { RunDisplayState } from '../../shared/runStates';

export interface RunItemModel {
  label: string;
  description: string;
  tooltip: string;
  icon: string;
  contextValue: string;
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
    // menus match on this: "run:<state>:<kind>", plus ":model" when the run has a model to evaluate, predict with or export
    contextValue: `run:${run.state}:${run.kind}${run.hasModel ? ':model' : ''}`,
  };
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
  const runs = await listRuns(join(dirname(experimentFile), RUNS_DIR));
  const slug = slugify(experimentName);
  const names = await Promise.all(runs.map(snapshotName));
  // before its snapshot is written a run is only known by its folder name: <stamp>-<slug>[-n]
  const matches = runs.filter((run, i) => names[i] === experimentName || (names[i] === undefined && new RegExp(`^\\d{8}-\\d{6}-${escape(slug)}(-\\d+)?$`).test(basename(run))));
  return matches.reverse();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
