// "Export Model": a finished run's classifier as a tfjs Layers folder, a Keras 2 .h5 or a Keras 3 .keras file, each
// written by the CLI (h5wasm and tfjs stay out of the editor) and opened with the Python that loads it.
import * as vscode from 'vscode';
import { basename, join } from 'node:path';
import { pickRun } from '../experiments/pickers';
import type { ExperimentsTree } from '../experiments/experimentsTree';
import { runCli } from '../cliProcess';
import { reportError } from '../notify';
import type { ExportFormat as Format } from '../../cli/export';

async function pickFormat(run: string): Promise<Format | undefined> {
  const items: (vscode.QuickPickItem & { format: Format })[] = [
    { label: 'TensorFlow.js Layers', description: 'model.json + weights.bin', detail: 'labels and preprocessing beside it; loads in JavaScript or with Python\'s tensorflowjs', format: 'tfjs' },
    { label: 'Keras HDF5 (.h5)', description: 'keras.models.load_model in Keras 2 or 3', format: 'h5' },
    { label: 'Keras 3 archive (.keras)', description: 'keras.saving.load_model in Keras 3', format: 'keras' },
  ];
  return (await vscode.window.showQuickPick(items, { title: `Export the model of ${basename(run)} as (opens the Python that loads it)` }))?.format;
}

async function confirmReplace(target: vscode.Uri): Promise<boolean> {
  const exists = await vscode.workspace.fs.stat(target).then(() => true, () => false);
  return !exists || (await vscode.window.showWarningMessage(`${target.fsPath} already exists.`, { modal: true }, 'Replace')) === 'Replace';
}

async function pickTarget(run: string, format: Format): Promise<vscode.Uri | undefined> {
  if (format !== 'tfjs') {
    const filters: Record<string, string[]> = format === 'h5' ? { 'Keras HDF5': ['h5'] } : { 'Keras 3 archive': ['keras'] };
    return vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(run, `${basename(run)}.${format}`)), filters, title: `Export the model of ${basename(run)} for Keras` });
  }
  const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Export Here', title: `Export the model of ${basename(run)} (tfjs Layers format)` });
  if (!folder?.[0]) return undefined;
  const target = vscode.Uri.file(join(folder[0].fsPath, `${basename(run)}-model`));
  return (await confirmReplace(target)) ? target : undefined;
}

async function exportAs(context: vscode.ExtensionContext, run: string, format: Format, log: vscode.LogOutputChannel): Promise<vscode.Uri | undefined> {
  const target = await pickTarget(run, format);
  if (!target) return undefined;
  const out = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Exporting the model' }, () =>
    runCli(context, ['export', run, '--format', format, '--out', target.fsPath, '--json']));
  const { python } = JSON.parse(out.trim().split('\n').pop()!) as { python: string };
  log.info(`exported ${run} to ${target.fsPath}`);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'python', content: python }));
  return target;
}

export async function exportModel(context: vscode.ExtensionContext, tree: ExperimentsTree, log: vscode.LogOutputChannel, runDir: string | undefined): Promise<void> {
  const run = runDir ?? (await pickRun(tree, 'Export the model of which run?', (r) => r.hasModel));
  if (!run) return;
  const format = await pickFormat(run);
  if (!format) return;
  try {
    const target = await exportAs(context, run, format, log);
    if (!target) return;
    const reveal = 'Reveal';
    if ((await vscode.window.showInformationMessage(`Exported the model to ${target.fsPath}.`, reveal)) === reveal) await vscode.commands.executeCommand('revealFileInOS', target);
  } catch (error) {
    await reportError(log, `Exporting the model of ${basename(run)} failed`, error);
  }
}
