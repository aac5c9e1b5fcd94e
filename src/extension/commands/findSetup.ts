// "Find Best Setup" and "Find Learning Rate": the host's search and lr-find requests on an experiment, with progress
// and Cancel (run/stop), then the leaderboard panel ("Train This" on any row) or the suggestion ("Use This Rate").
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { phaseName } from '../../protocol/experiment';
import { Requests } from '../../protocol/host';
import { applyExperimentEdits } from '../edits/applyEdits';
import { phaseFieldEdits } from '../edits/trainableEdit';
import { parseExperimentText } from '../experiments/experimentText';
import { activeEditorExperiment, pickExperiment } from '../experiments/pickers';
import { reportError } from '../notify';
import { readSettings } from '../settings';
import { refuseUntrusted, TRUST_REASONS } from '../trust';
import { showSearchPanel } from '../webviews/search/searchPanel';
import { withHostProgress } from './hostProgress';
import type { CommandDeps } from './register';
import { experimentArg } from './subjects';

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

async function chooseExperiment(deps: CommandDeps, arg: unknown, what: string): Promise<vscode.Uri | undefined> {
  if (refuseUntrusted(what, TRUST_REASONS.train)) return undefined;
  const uri = experimentArg(arg) ?? activeEditorExperiment() ?? (await pickExperiment(deps.tree, `${what}: which experiment?`));
  if (uri) await vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.save();
  return uri;
}

export async function findBestSetup(deps: CommandDeps, arg: unknown): Promise<void> {
  const uri = await chooseExperiment(deps, arg, 'Find Best Setup');
  if (!uri) return;
  try {
    const result = await withHostProgress(deps.supervisor, `Finding the best setup for ${basename(uri.fsPath)}`, () =>
      deps.supervisor.call((c) => c.sendRequest(Requests.search, { experimentFile: uri.fsPath, cacheDir: readSettings().cacheFolder })));
    deps.log.info(`search ${uri.fsPath}: best ${result.leaderboard[0].base} ${percent(result.leaderboard[0].cvAccuracy)} → ${result.bestExperiment}`);
    showSearchPanel(deps.context.extensionUri, uri.fsPath, result, async (row, rank) =>
      (await deps.supervisor.call((c) => c.sendRequest(Requests.searchRow, { experimentFile: uri.fsPath, row, rank }))).file);
  } catch (error) {
    await reportError(deps.log, `Finding the best setup for ${basename(uri.fsPath)} failed`, error);
  }
}

export async function findLearningRate(deps: CommandDeps, arg: unknown): Promise<void> {
  const uri = await chooseExperiment(deps, arg, 'Find Learning Rate');
  if (!uri) return;
  try {
    const experiment = await parseExperimentText((await vscode.workspace.openTextDocument(uri)).getText(), uri.fsPath);
    const names = experiment.phases.map((p, i) => phaseName(p, i));
    const phase = names.length === 1 ? 0 : (await vscode.window.showQuickPick(names.map((label, index) => ({ label, index })), { placeHolder: 'Sweep the learning rate of which phase?' }))?.index;
    if (phase === undefined) return;
    const result = await withHostProgress(deps.supervisor, `Sweeping the learning rate of "${names[phase]}"`, () =>
      deps.supervisor.call((c) => c.sendRequest(Requests.lrFind, { experimentFile: uri.fsPath, phase: String(phase + 1), cacheDir: readSettings().cacheFolder })));
    const rate = Number(result.suggestion.toPrecision(2));
    deps.log.info(`lr-find ${uri.fsPath} phase "${result.phase}": ${result.rates.length} steps, suggested ${rate} (now ${experiment.phases[phase].learningRate})`);
    const use = 'Use This Rate';
    const choice = await vscode.window.showInformationMessage(`"${result.phase}": suggested learning rate ${rate.toExponential(1)} (steepest fall of the loss over ${result.rates.length} steps; the phase has ${experiment.phases[phase].learningRate}).`, use);
    if (choice === use) await applyExperimentEdits(uri, (text) => phaseFieldEdits(text, phase, 'learningRate', rate));
  } catch (error) {
    await reportError(deps.log, `Finding a learning rate for ${basename(uri.fsPath)} failed`, error);
  }
}
