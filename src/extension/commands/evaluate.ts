// "Evaluate Run": a finished run's model on its validation split or on another labelled folder.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { Requests } from '../../protocol/host';
import { reportError } from '../notify';
import { refuseUntrusted, TRUST_REASONS } from '../trust';
import { pickRun } from '../experiments/pickers';
import type { PredictDeps } from './predict';

async function chooseData(): Promise<{ data?: string } | undefined> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: "The run's validation split", description: 'the images held out while training', data: undefined },
      { label: 'Another folder…', description: 'one sub-folder per class, named like the training classes', data: '' },
    ],
    { placeHolder: 'Evaluate on which images?' },
  );
  if (!choice) return undefined;
  if (choice.data === undefined) return {};
  const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Evaluate on This Folder' });
  return folder?.[0] ? { data: folder[0].fsPath } : undefined;
}

export async function evaluate(deps: PredictDeps, runDir: string | undefined): Promise<void> {
  if (refuseUntrusted('Evaluation', TRUST_REASONS.runModel)) return;
  const run = runDir ?? (await pickRun(deps.tree, 'Evaluate which run?', (r) => r.hasModel));
  if (!run) return;
  const data = await chooseData();
  if (!data) return;
  try {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Evaluating ${basename(run)}` },
      () => deps.supervisor.call((c) => c.sendRequest(Requests.evaluate, { runDir: run, data: data.data })),
    );
    const summary = `accuracy ${(report.accuracy * 100).toFixed(1)}% on ${report.count} images (${data.data ?? 'validation split'}), macro F1 ${(report.macro.f1 * 100).toFixed(1)}%`;
    deps.log.info(`evaluate ${run}: ${summary}${report.skipped.length ? `; ${report.skipped.length} images skipped` : ''}`);
    const open = 'Open Dashboard';
    if ((await vscode.window.showInformationMessage(`${basename(run)}: ${summary}.`, open)) === open) await vscode.commands.executeCommand('transferLab.openDashboard', run);
  } catch (error) {
    await reportError(deps.log, `Evaluating ${basename(run)} failed`, error);
  }
}
