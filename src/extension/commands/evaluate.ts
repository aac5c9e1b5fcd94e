// "Evaluate Run": a finished run's model (image or text) on its validation split or on other labelled data.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { readRunKind } from '../../engine/runs';
import { Requests } from '../../protocol/host';
import type { RunKind } from '../../shared/runLayout';
import { TEXT_FILE_FILTER } from '../wizard/datasetCandidates';
import { reportError } from '../notify';
import { refuseUntrusted, TRUST_REASONS } from '../trust';
import { pickRun } from '../experiments/pickers';
import type { PredictDeps } from './predict';
import { readSettings } from '../settings';
import { overlapWarning } from '../../shared/format';

/** Where to evaluate: the run's validation split, another image folder (image runs) or labelled text file (text runs). */
async function chooseData(runDir: string, kind: RunKind): Promise<{ data?: string } | undefined> {
  const other = kind === 'text'
    ? { label: 'Another file…', description: 'a CSV, TSV or JSONL file labelled like the training texts', data: '' }
    : { label: 'Another folder…', description: 'one sub-folder per class, named like the training classes', data: '' };
  const held = kind === 'text' ? 'the texts held out while training' : 'the images held out while training';
  const choice = await vscode.window.showQuickPick([{ label: "The run's validation split", description: held, data: undefined }, other], {
    title: `Evaluate ${basename(runDir)}`, placeHolder: `Evaluate on which ${kind === 'text' ? 'texts' : 'images'}?`,
  });
  if (!choice) return undefined;
  if (choice.data === undefined) return {};
  const picked = kind === 'text'
    ? await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectFolders: false, filters: TEXT_FILE_FILTER, openLabel: 'Evaluate on This File', title: `Evaluate ${basename(runDir)} on which file?` })
    : await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Evaluate on This Folder', title: `Evaluate ${basename(runDir)} on which folder?` });
  return picked?.[0] ? { data: picked[0].fsPath } : undefined;
}

export async function evaluate(deps: PredictDeps, runDir: string | undefined): Promise<void> {
  if (refuseUntrusted('Evaluation', TRUST_REASONS.runModel)) return;
  const run = runDir ?? (await pickRun(deps.tree, 'Evaluate which run?', (r) => r.hasModel));
  if (!run) return;
  const kind = await readRunKind(run);
  const data = await chooseData(run, kind);
  if (!data) return;
  try {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Evaluating ${basename(run)}` },
      () => deps.supervisor.call((c) => c.sendRequest(Requests.evaluate, { runDir: run, data: data.data, cacheDir: readSettings().cacheFolder })),
    );
    const items = kind === 'text' ? 'texts' : 'images';
    const summary = `accuracy ${(report.accuracy * 100).toFixed(1)}% on ${report.count} ${items} (${data.data ?? 'validation split'}), macro F1 ${(report.macro.f1 * 100).toFixed(1)}%`;
    const overlap = report.trainedOn ? ` ${overlapWarning(report.trainedOn, report.count, 'image')}` : '';
    deps.log.info(`evaluate ${run}: ${summary}${report.skipped.length ? `; ${report.skipped.length} ${items} skipped` : ''}${overlap}`);
    const open = 'Open Dashboard';
    const show = overlap ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    // the dashboard opens on this evaluation, kept in the run beside the validation result
    if ((await show(`${basename(run)}: ${summary}.${overlap}`, open)) === open) await vscode.commands.executeCommand('transferLab.openDashboard', run, report.split);
  } catch (error) {
    await reportError(deps.log, `Evaluating ${basename(run)} failed`, error);
  }
}
