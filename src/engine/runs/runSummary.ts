// Reads a run folder into the one RunSummary every side shows (Experiments tree, pickers, CLI), for every data kind.
// No TensorFlow: the extension imports this.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EVALUATION_FILE, EXPERIMENT_FILE, LABELS_FILE, MODEL_DIR, MODEL_MARKER, type RunKind } from '../../shared/runLayout';
import { runKindOf, type RunSummary } from '../../shared/runSummary';
import { effectiveHistory, readMetrics } from './metricsLog';
import { processAlive } from './process';
import { readRunState } from './state';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

async function readJson(path: string): Promise<unknown> {
  return readFile(path, 'utf8').then((text) => JSON.parse(text) as unknown, () => undefined);
}

/** Image or text, from the run's experiment snapshot; a run without one is text only if it left a text model. */
export async function readRunKind(runDir: string, snapshot?: unknown): Promise<RunKind> {
  const experiment = snapshot ?? (await readJson(join(runDir, EXPERIMENT_FILE)));
  if (experiment !== undefined) return runKindOf(experiment);
  return (await exists(join(runDir, MODEL_DIR, MODEL_MARKER.text))) ? 'text' : 'image';
}

export async function summarizeRun(runDir: string, isAlive: (pid: number) => boolean = processAlive): Promise<RunSummary> {
  const [state, metrics, snapshot, labels, hasEvaluation] = await Promise.all([
    readRunState(runDir).catch(() => null),
    readMetrics(runDir).catch(() => []),
    readJson(join(runDir, EXPERIMENT_FILE)),
    readJson(join(runDir, LABELS_FILE)),
    exists(join(runDir, EVALUATION_FILE)),
  ]);
  const kind = await readRunKind(runDir, snapshot);
  const hasModel = await exists(join(runDir, MODEL_DIR, MODEL_MARKER[kind]));
  const accuracies = effectiveHistory(metrics).map((r) => r.val_accuracy).filter((a): a is number => typeof a === 'number' && Number.isFinite(a));
  const stale = state?.state === 'running' && state.pid !== undefined && !isAlive(state.pid);
  const name = (snapshot as { name?: unknown } | undefined)?.name;
  return {
    runDir,
    kind,
    experiment: typeof name === 'string' ? name : undefined,
    state: stale ? 'interrupted' : (state?.state ?? 'unknown'),
    bestValAccuracy: accuracies.length > 0 ? Math.max(...accuracies) : undefined,
    engine: state?.engine ? /^[\w-]+/.exec(state.engine)?.[0] : undefined,
    phase: state?.phase,
    epoch: state?.epoch,
    message: stale ? 'the training host ended without finishing this run — resume it' : state?.message,
    hasModel,
    hasEvaluation,
    classes: Array.isArray(labels) ? labels.filter((l): l is string => typeof l === 'string') : [],
  };
}
