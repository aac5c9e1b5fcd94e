// "Export Model": a finished run's classifier as its tfjs Layers folder, or as a Keras .h5 with the Python that loads it.
import * as vscode from 'vscode';
import { basename, join } from 'node:path';
import { RUN_MODEL_DIR } from '../experiments/runSummary';
import { pickRun } from '../experiments/pickers';
import type { ExperimentsTree } from '../experiments/experimentsTree';
import { runCli } from '../cliProcess';
import { reportError } from '../notify';

type Format = 'tfjs' | 'keras';

async function pickFormat(): Promise<Format | undefined> {
  const items: (vscode.QuickPickItem & { format: Format })[] = [
    { label: 'TensorFlow.js Layers', description: 'model.json + weights.bin, labels, preprocessing', format: 'tfjs' },
    { label: 'Keras HDF5 (.h5)', description: 'loads with keras.models.load_model; opens the Python that uses it', format: 'keras' },
  ];
  return (await vscode.window.showQuickPick(items, { title: 'Export the model as' }))?.format;
}

async function confirmReplace(target: vscode.Uri): Promise<boolean> {
  const exists = await vscode.workspace.fs.stat(target).then(() => true, () => false);
  return !exists || (await vscode.window.showWarningMessage(`${target.fsPath} already exists.`, { modal: true }, 'Replace')) === 'Replace';
}

async function exportTfjs(run: string, log: vscode.LogOutputChannel): Promise<vscode.Uri | undefined> {
  const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Export Here', title: `Export the model of ${basename(run)} (tfjs Layers format)` });
  if (!folder?.[0]) return undefined;
  const target = vscode.Uri.file(join(folder[0].fsPath, `${basename(run)}-model`));
  if (!(await confirmReplace(target))) return undefined;
  await vscode.workspace.fs.copy(vscode.Uri.file(join(run, RUN_MODEL_DIR)), target, { overwrite: true });
  log.info(`exported ${run} to ${target.fsPath}`);
  return target;
}

async function exportKeras(context: vscode.ExtensionContext, run: string, log: vscode.LogOutputChannel): Promise<vscode.Uri | undefined> {
  const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(run, `${basename(run)}.h5`)), filters: { 'Keras HDF5': ['h5'] }, title: `Export the model of ${basename(run)} for Keras` });
  if (!target) return undefined;
  const out = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Writing the Keras model' }, () =>
    runCli(context, ['export', run, '--out', target.fsPath, '--json']));
  const { python } = JSON.parse(out.trim().split('\n').pop()!) as { python: string };
  log.info(`exported ${run} to ${target.fsPath}`);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'python', content: python }));
  return target;
}

export async function exportModel(context: vscode.ExtensionContext, tree: ExperimentsTree, log: vscode.LogOutputChannel, runDir: string | undefined): Promise<void> {
  const run = runDir ?? (await pickRun(tree, 'Export the model of which run?', (r) => r.hasModel));
  if (!run) return;
  const format = await pickFormat();
  if (!format) return;
  try {
    const target = format === 'keras' ? await exportKeras(context, run, log) : await exportTfjs(run, log);
    if (!target) return;
    const reveal = 'Reveal';
    if ((await vscode.window.showInformationMessage(`Exported the model to ${target.fsPath}.`, reveal)) === reveal) await vscode.commands.executeCommand('revealFileInOS', target);
  } catch (error) {
    await reportError(log, `Exporting the model of ${basename(run)} failed`, error);
  }
}
