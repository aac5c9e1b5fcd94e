// "Create Sample Experiment" (the walkthrough's first step): `transfer-lab sample --no-train` writes a small
// Fashion-MNIST image folder and its experiment file; the CLI runs as a child process so sharp stays out of the editor.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { runCli } from '../cliProcess';
import { reportError } from '../notify';

const SAMPLE_FOLDER = 'transfer-lab-sample';
const SAMPLE_EXPERIMENT = 'fashion.experiment.json';

async function sampleParent(): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (folder) return folder;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Create Sample Here' });
  return picked?.[0];
}

export async function createSample(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<vscode.Uri | undefined> {
  const parent = await sampleParent();
  if (!parent) return undefined;
  const dir = join(parent.fsPath, SAMPLE_FOLDER);
  const file = vscode.Uri.file(join(dir, SAMPLE_EXPERIMENT));
  const exists = await vscode.workspace.fs.stat(file).then(() => true, () => false);
  try {
    if (!exists) {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Writing the Fashion-MNIST sample (images and experiment)' }, () =>
        runCli(context, ['sample', dir, '--no-train']).then((out) => log.info(out.trim())),
      );
    }
    await vscode.window.showTextDocument(file);
    return file;
  } catch (error) {
    await reportError(log, `Creating the sample in ${dir} failed`, error);
    return undefined;
  }
}
