// "Evaluate Run": a finished run's model on its validation split or on another labelled folder.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { Requests } from '../../protocol/host';
import { reportError } from '../notify';
import { refuseUntrusted, TRUST_REASONS } from '../trust';
import { pickRun } from '../experiments/pickers';
import type { PredictDeps } from './predict';
import { readSettings } from '../settings';
import { overlapWarning } from '../../../webview/shared/format';

async function chooseData(runDir: string): Promise<{ data?: string } | undefined> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: "The run's validation split", description: 'the images held out while training', data: undefined },
      { label: 'Another folder…', description: 'one sub-folder per class, named like the training classes', data: '' },
    ],
    { title: `Evaluate ${basename(runDir)}`, placeHolder: 'Evaluate on which images?' },
  );
  if (!choice) return undefined;
  if (choice.data === undefined) return {};
  const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Evaluate on This Folder', title: `Evaluate ${basename(runDir)} on which folder?` });
  return folder?.[0] ? { data: folder[0].fsPath } : undefined;
}

export async function evaluate(deps: PredictDeps, runDir: string | undefined): Promise<void> {
  if (refuseUntrusted('Evaluation', TRUST_REASONS.runModel)) return;
  const run = runDir ?? (await pickRun(deps.tree, 'Evaluate which run?', (r) => r.hasModel));
  if (!run) return;
  const data = await chooseData(run);
  if (!data) return;
  try {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Evaluating ${basename(run)}` },
      () => deps.supervisor.call((c) => c.sendRequest(Requests.evaluate, { runDir: run, data: data.data, cacheDir: readSettings().cacheFolder })),
    );
    const summary = `accuracy ${(report.accuracy * 100).toFixed(1)}% on ${report.count} images (${data.data ?? 'validation split'}), macro F1 ${(report.macro.f1 * 100).toFixed(1)}%`;
    const overlap = report.trainedOn ? ` ${overlapWarning(report.trainedOn, report.count, 'image')}` : '';
    deps.log.info(`evaluate ${run}: ${summary}${report.skipped.length ? `; ${report.skipped.length} images skipped` : ''}${overlap}`);
    const open = 'Open Dashboard';
    const show = overlap ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    // the dashboard opens on this evaluation, kept in the run beside the validation result
    if ((await show(`${basename(run)}: ${summary}.${overlap}`, open)) === open) await vscode.commands.executeCommand('transferLab.openDashboard', run, report.split);
  } catch (error) {
    await reportError(deps.log, `Evaluating ${basename(run)} failed`, error);
  }
}
