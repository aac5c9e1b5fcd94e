// "Create Sample Experiment" (the walkthrough's first step): the training host writes a small Fashion-MNIST image
// folder and its experiment file (sharp stays out of the editor's process).
import * as vscode from 'vscode';
import { join } from 'node:path';
import { Requests } from '../../protocol/host';
import type { HostSupervisor } from '../host/supervisor';
import { reportError } from '../notify';

const SAMPLE_FOLDER = 'transfer-lab-sample';
const SAMPLE_EXPERIMENT = 'fashion.experiment.json';

async function sampleParent(): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (folder) return folder;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Create Sample Here' });
  return picked?.[0];
}

export async function createSample(supervisor: HostSupervisor, log: vscode.LogOutputChannel): Promise<vscode.Uri | undefined> {
  const parent = await sampleParent();
  if (!parent) return undefined;
  const dir = join(parent.fsPath, SAMPLE_FOLDER);
  const file = vscode.Uri.file(join(dir, SAMPLE_EXPERIMENT));
  const exists = await vscode.workspace.fs.stat(file).then(() => true, () => false);
  try {
    if (!exists) {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Writing the Fashion-MNIST sample (images and experiment)' }, async () => {
        const { experimentFile } = await supervisor.call((c) => c.sendRequest(Requests.sample, { dir, kind: 'image' }));
        log.info(`sample experiment: ${experimentFile}`);
      });
    }
    await vscode.window.showTextDocument(file);
    return file;
  } catch (error) {
    await reportError(log, `Creating the sample in ${dir} failed`, error);
    return undefined;
  }
}
