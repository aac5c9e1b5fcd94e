// Quick picks for the run commands: which run's dashboard to open, which runs to compare.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { readStateView } from './dashboard/runFolderSnapshot';
import type { WebviewServices } from './services';

interface RunItem extends vscode.QuickPickItem { runDir: string }

async function runItems(services: WebviewServices, experiment: vscode.Uri | undefined): Promise<RunItem[] | undefined> {
  const target = experiment ?? services.activeExperiment();
  if (!target) {
    void vscode.window.showInformationMessage('Transfer Lab: select an experiment first (Experiments view), then pick one of its runs.');
    return undefined;
  }
  const runs = await services.listRuns(target);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(`Transfer Lab: ${vscode.workspace.asRelativePath(target)} has no runs yet.`);
    return undefined;
  }
  return Promise.all(runs.map(async (runDir) => {
    const state = await readStateView(runDir);
    return { runDir, label: basename(runDir), description: state.state, detail: state.message };
  }));
}

export async function pickRun(services: WebviewServices): Promise<string | undefined> {
  const items = await runItems(services, undefined);
  const picked = items && (await vscode.window.showQuickPick(items, { title: 'Open training dashboard', placeHolder: 'Run (newest first)' }));
  return picked?.runDir;
}

export async function pickRunsToCompare(services: WebviewServices, experiment: vscode.Uri | undefined): Promise<string[] | undefined> {
  const items = await runItems(services, experiment);
  if (!items) return undefined;
  if (items.length < 2) {
    void vscode.window.showInformationMessage('Transfer Lab: comparing needs at least two runs of the experiment.');
    return undefined;
  }
  items.slice(0, 2).forEach((item) => (item.picked = true)); // the two newest, the usual question
  const picked = await vscode.window.showQuickPick(items, { title: 'Compare runs', placeHolder: 'Pick two or more runs', canPickMany: true });
  if (picked && picked.length < 2) void vscode.window.showInformationMessage('Transfer Lab: pick at least two runs to compare.');
  return picked && picked.length >= 2 ? picked.map((p) => p.runDir) : undefined;
}
