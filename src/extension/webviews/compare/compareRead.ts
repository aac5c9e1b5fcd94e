// One run's curves and headline numbers for the compare view. No vscode import.
import { basename, join } from 'node:path';
import { effectiveHistory, readMetrics } from '../../../engine/runs';
import { EXPERIMENT_FILE } from '../../../shared/runLayout';
import { LIMITS, type CompareRun } from '../../../protocol/webview';
import { readEvaluation } from '../dashboard/evaluationRead';
import { readJson } from '../dashboard/jsonFields';
import { epochPointOf, readRunHeader, readStateView } from '../dashboard/runFolderSnapshot';

export async function readCompareRun(runDir: string): Promise<CompareRun> {
  const experiment = await readJson(join(runDir, EXPERIMENT_FILE));
  const evaluation = await readEvaluation(runDir, () => undefined);
  const run: CompareRun = {
    id: basename(runDir).slice(0, 500), header: readRunHeader(runDir, experiment), state: await readStateView(runDir),
    epochs: effectiveHistory(await readMetrics(runDir)).slice(-LIMITS.epochs).map(epochPointOf),
  };
  if (evaluation) {
    run.evaluation = { valAccuracy: evaluation.val.accuracy, macroF1: evaluation.val.macro.f1 };
    if (evaluation.test) run.evaluation.testAccuracy = evaluation.test.accuracy;
  }
  return run;
}

/** The run folders a compare panel saved in its restore key (untrusted webview state). */
export function runDirsOf(key: string): string[] {
  try {
    const dirs: unknown = JSON.parse(key);
    return Array.isArray(dirs) ? dirs.filter((d): d is string => typeof d === 'string' && d.length <= LIMITS.path).slice(0, LIMITS.runs) : [];
  } catch {
    return [];
  }
}
