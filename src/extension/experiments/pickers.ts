// QuickPicks for commands invoked without their subject: which experiment, which run.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { isExperimentFile } from './experimentText';
import type { ExperimentsTree } from './experimentsTree';
import { runItemModel, summarizeRun, type RunSummary } from './runSummary';
import { CREATE_SAMPLE, NEW_EXPERIMENT, offerNextSteps } from '../wayForward';

/** The experiment file in the active editor, if any. */
export function activeEditorExperiment(): vscode.Uri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri && uri.scheme === 'file' && isExperimentFile(uri.fsPath) ? uri : undefined;
}

export async function pickExperiment(tree: ExperimentsTree, placeHolder: string): Promise<vscode.Uri | undefined> {
  const experiments = await tree.all();
  if (experiments.length === 0) {
    await offerNextSteps('no experiment files (*.experiment.json) in this workspace yet.', [NEW_EXPERIMENT, CREATE_SAMPLE]);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    experiments.map((e) => ({ label: basename(e.uri.fsPath), description: vscode.workspace.asRelativePath(e.uri), detail: `${e.runs.length} runs`, uri: e.uri })),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.uri;
}

export async function pickRun(tree: ExperimentsTree, placeHolder: string, accept: (run: RunSummary) => boolean): Promise<string | undefined> {
  const experiments = await tree.all();
  const runs = await Promise.all(experiments.flatMap((e) => e.runs.map(async (runDir) => ({ experiment: e, run: await summarizeRun(runDir) }))));
  const candidates = runs.filter(({ run }) => accept(run));
  if (candidates.length === 0) {
    const steps = experiments.length > 0 ? [{ title: 'Train', command: 'transferLab.train' }] : [NEW_EXPERIMENT, CREATE_SAMPLE];
    void offerNextSteps(`no run to choose — ${placeHolder.toLowerCase()} needs a run that fits; train an experiment first.`, steps);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map(({ experiment, run }) => {
      const model = runItemModel(run);
      return { label: `$(${model.icon}) ${experiment.name} — ${model.label}`, description: model.description, detail: basename(run.runDir), runDir: run.runDir };
    }),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.runDir;
}
