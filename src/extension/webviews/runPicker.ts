// Quick picks for the run commands: which run's dashboard to open, which runs to compare.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { readStateView } from './dashboard/runFolderSnapshot';
import type { WebviewServices } from './services';
import { chooseExperiment, offerNextSteps, trainStep } from '../wayForward';

interface RunItem extends vscode.QuickPickItem { runDir: string }

async function runItems(services: WebviewServices, experiment: vscode.Uri | undefined, purpose: string): Promise<{ target: vscode.Uri; items: RunItem[] } | undefined> {
  const target = experiment ?? services.activeExperiment() ?? (await chooseExperiment(await services.experiments(), purpose));
  if (!target) return undefined;
  const runs = await services.listRuns(target);
  if (runs.length === 0) {
    void offerNextSteps(`${vscode.workspace.asRelativePath(target)} has no runs yet: train it first.`, [trainStep(target)]);
    return undefined;
  }
  const items = await Promise.all(runs.map(async (runDir) => {
    const state = await readStateView(runDir);
    return { runDir, label: basename(runDir), description: state.state, detail: state.message };
  }));
  return { target, items };
}

export async function pickRun(services: WebviewServices): Promise<string | undefined> {
  const found = await runItems(services, undefined, 'Open Dashboard');
  const picked = found && (await vscode.window.showQuickPick(found.items, { title: 'Open training dashboard', placeHolder: 'Run (newest first)' }));
  return picked?.runDir;
}

export async function pickRunsToCompare(services: WebviewServices, experiment: vscode.Uri | undefined): Promise<string[] | undefined> {
  const found = await runItems(services, experiment, 'Compare Runs');
  if (!found) return undefined;
  const { items } = found;
  if (items.length < 2) {
    void offerNextSteps('comparing needs at least two runs of the experiment: train it again.', [trainStep(found.target)]);
    return undefined;
  }
  items.slice(0, 2).forEach((item) => (item.picked = true)); // the two newest, the usual question
  const picked = await vscode.window.showQuickPick(items, { title: 'Compare runs', placeHolder: 'Pick two or more runs', canPickMany: true });
  if (picked && picked.length < 2) void vscode.window.showInformationMessage('Transfer Lab: pick at least two runs to compare.');
  return picked && picked.length >= 2 ? picked.map((p) => p.runDir) : undefined;
}
