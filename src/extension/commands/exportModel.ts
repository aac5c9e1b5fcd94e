// "Export Model": an image run's classifier as a tfjs Layers folder, a Keras 2 .h5 or a Keras 3 .keras file, a text
// run's as a Hugging Face folder; the training host writes it (h5wasm and tfjs stay out of the editor), and the
// Python that loads it opens beside.
import * as vscode from 'vscode';
import { basename, join } from 'node:path';
import { EXPORT_FORMATS_BY_KIND, Requests, type ExportFormat as Format } from '../../protocol/host';
import { readRunKind } from '../../engine/runs';
import type { RunKind } from '../../shared/runLayout';
import { pickRun } from '../experiments/pickers';
import type { ExperimentsTree } from '../experiments/experimentsTree';
import type { HostSupervisor } from '../host/supervisor';
import { reportError } from '../notify';

export interface ExportDeps {
  supervisor: HostSupervisor;
  tree: ExperimentsTree;
  log: vscode.LogOutputChannel;
}

/** The formats the editor offers (the CLI also writes onnx and the training script or notebook). */
const FORMAT_ITEMS: Partial<Record<Format, vscode.QuickPickItem>> = {
  tfjs: { label: 'TensorFlow.js Layers', description: 'model.json + weights.bin', detail: 'labels and preprocessing beside it; loads in JavaScript or with Python\'s tensorflowjs' },
  h5: { label: 'Keras HDF5 (.h5)', description: 'keras.models.load_model in Keras 2 or 3' },
  keras: { label: 'Keras 3 archive (.keras)', description: 'keras.saving.load_model in Keras 3' },
  hf: { label: 'Hugging Face (save_pretrained folder)', description: 'config.json, model.safetensors, tokenizer: AutoModelForSequenceClassification.from_pretrained' },
};
/** Folder formats get a new folder named after the run; file formats a save dialog. */
const FOLDER_SUFFIX: Partial<Record<Format, string>> = { tfjs: 'model', hf: 'hf' };

/** Text runs export as hf only; image runs as h5, keras or tfjs (the tfjs folder first: it needs no conversion). */
async function pickFormat(run: string, kind: RunKind): Promise<Format | undefined> {
  const formats = [...EXPORT_FORMATS_BY_KIND[kind]].sort((a, b) => (a === 'tfjs' ? -1 : b === 'tfjs' ? 1 : 0));
  const items = formats.flatMap((format) => { const item = FORMAT_ITEMS[format]; return item ? [{ ...item, format }] : []; });
  return (await vscode.window.showQuickPick(items, { title: `Export the model of ${basename(run)} as (opens the Python that loads it)` }))?.format;
}

async function confirmReplace(target: vscode.Uri): Promise<boolean> {
  const exists = await vscode.workspace.fs.stat(target).then(() => true, () => false);
  return !exists || (await vscode.window.showWarningMessage(`${target.fsPath} already exists.`, { modal: true }, 'Replace')) === 'Replace';
}

async function pickTarget(run: string, format: Format): Promise<vscode.Uri | undefined> {
  const suffix = FOLDER_SUFFIX[format];
  if (!suffix) {
    const filters: Record<string, string[]> = format === 'h5' ? { 'Keras HDF5': ['h5'] } : { 'Keras 3 archive': ['keras'] };
    return vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(run, `${basename(run)}.${format}`)), filters, title: `Export the model of ${basename(run)} for Keras` });
  }
  const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Export Here', title: `Export the model of ${basename(run)} (${FORMAT_ITEMS[format].label})` });
  if (!folder?.[0]) return undefined;
  const target = vscode.Uri.file(join(folder[0].fsPath, `${basename(run)}-${suffix}`));
  return (await confirmReplace(target)) ? target : undefined;
}

async function exportAs(deps: ExportDeps, run: string, format: Format): Promise<vscode.Uri | undefined> {
  const target = await pickTarget(run, format);
  if (!target) return undefined;
  const { python } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Exporting the model' }, () =>
    deps.supervisor.call((c) => c.sendRequest(Requests.export, { runDir: run, format, out: target.fsPath })));
  deps.log.info(`exported ${run} to ${target.fsPath}`);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'python', content: python }));
  return target;
}

export async function exportModel(deps: ExportDeps, runDir: string | undefined): Promise<void> {
  const run = runDir ?? (await pickRun(deps.tree, 'Export the model of which run?', (r) => r.hasModel));
  if (!run) return;
  const format = await pickFormat(run, await readRunKind(run));
  if (!format) return;
  try {
    const target = await exportAs(deps, run, format);
    if (!target) return;
    const reveal = 'Reveal';
    if ((await vscode.window.showInformationMessage(`Exported the model to ${target.fsPath}.`, reveal)) === reveal) await vscode.commands.executeCommand('revealFileInOS', target);
  } catch (error) {
    await reportError(deps.log, `Exporting the model of ${basename(run)} failed`, error);
  }
}
