// "Export Model": copies a finished run's model/ folder (tfjs Layers model, labels, preprocessing) to a chosen place.
import * as vscode from 'vscode';
import { basename, join } from 'node:path';
import { RUN_MODEL_DIR } from '../experiments/runSummary';
import { pickRun } from '../experiments/pickers';
import type { ExperimentsTree } from '../experiments/experimentsTree';
import { reportError } from '../notify';

export async function exportModel(tree: ExperimentsTree, log: vscode.LogOutputChannel, runDir: string | undefined): Promise<void> {
  const run = runDir ?? (await pickRun(tree, 'Export the model of which run?', (r) => r.hasModel));
  if (!run) return;
  const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Export Here', title: `Export the model of ${basename(run)} (tfjs Layers format)` });
  if (!folder?.[0]) return;
  const target = vscode.Uri.file(join(folder[0].fsPath, `${basename(run)}-model`));
  const exists = await vscode.workspace.fs.stat(target).then(() => true, () => false);
  if (exists && (await vscode.window.showWarningMessage(`${target.fsPath} already exists.`, { modal: true }, 'Replace')) !== 'Replace') return;
  try {
    await vscode.workspace.fs.copy(vscode.Uri.file(join(run, RUN_MODEL_DIR)), target, { overwrite: true });
    log.info(`exported ${run} to ${target.fsPath}`);
    const reveal = 'Reveal';
    if ((await vscode.window.showInformationMessage(`Exported the model to ${target.fsPath}.`, reveal)) === reveal) await vscode.commands.executeCommand('revealFileInOS', target);
  } catch (error) {
    await reportError(log, `Exporting the model of ${basename(run)} failed`, error);
  }
}
