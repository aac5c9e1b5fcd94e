// Why a folder has no exported model to evaluate, predict with or export: not a run at all, a run that has not
// completed (resume it), or a completed run whose model files went missing.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EXPERIMENT_FILE, STATE_FILE } from './layout';
import { readRunState } from './state';

export async function runModelMissing(runDir: string, what: string): Promise<Error> {
  const dir = resolve(runDir);
  if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) return new Error(`${dir}: no such folder — check the path to the run folder`);
  const state = await readRunState(dir).catch(() => null);
  const isRun = state !== null || (await stat(join(dir, EXPERIMENT_FILE)).then(() => true, () => false));
  if (!isRun) return new Error(`${dir}: not a run folder (it has no ${STATE_FILE} or ${EXPERIMENT_FILE}) — give a folder that \`transfer-lab train\` made, e.g. runs/<date>-<name>`);
  if (state?.state === 'completed') return new Error(`${dir}: the run completed but its ${what} is missing or unreadable — train the experiment again`);
  return new Error(`${dir}: the run did not complete (${state?.state ?? 'it never started'}), so it has no ${what} yet — resume it with: transfer-lab resume ${dir}`);
}
