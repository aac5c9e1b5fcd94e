// "Export Model": an image run's classifier as a tfjs Layers folder, a Keras 2 .h5, a Keras 3 .keras or an ONNX file,
// or the run as a TensorFlow/Keras training script or notebook; a text run's as a Hugging Face folder. The training
// host writes it (h5wasm and tfjs stay out of the editor), and the code that loads it opens beside, as a notebook.
import * as vscode from 'vscode';
import { basename, join } from 'node:path';
import { EXPORT_FORMATS_BY_KIND, Requests, type ExportFormat as Format, type ExportResult } from '../../protocol/host';
import { readRunKind } from '../../engine/runs';
import type { RunKind } from '../../shared/runLayout';
import { pickRun } from '../experiments/pickers';
import type { ExperimentsTree } from '../experiments/experimentsTree';
import type { HostSupervisor } from '../host/supervisor';
import { reportError } from '../notify';
import { readSettings } from '../settings';
import { loaderCells } from './loaderNotebook';

export interface ExportDeps {
  supervisor: HostSupervisor;
  tree: ExperimentsTree;
  log: vscode.LogOutputChannel;
}

const FORMAT_ITEMS: Record<Format, vscode.QuickPickItem> = {
  tfjs: { label: 'TensorFlow.js Layers', description: 'model.json + weights.bin', detail: 'labels and preprocessing beside it; loads in JavaScript or with Python\'s tensorflowjs' },
  h5: { label: 'Keras HDF5 (.h5)', description: 'keras.models.load_model in Keras 2 or 3' },
  keras: { label: 'Keras 3 archive (.keras)', description: 'keras.saving.load_model in Keras 3' },
  onnx: { label: 'ONNX (.onnx)', description: 'ONNX Runtime in Python, C#, Java, JavaScript…; feed pixels, get probabilities' },
  'keras-script': { label: 'TensorFlow/Keras training script (.py)', description: 'the experiment for GPUs and clusters (tf.distribute), not run here' },
  notebook: { label: 'TensorFlow/Keras training notebook (.ipynb)', description: 'the same script as Jupyter cells' },
  hf: { label: 'Hugging Face (save_pretrained folder)', description: 'config.json, model.safetensors, tokenizer: AutoModelForSequenceClassification.from_pretrained' },
};
/** Folder formats get a new folder named after the run; file formats a save dialog. */
const FOLDER_SUFFIX: Partial<Record<Format, string>> = { tfjs: 'model', hf: 'hf' };
type FileFormat = Exclude<Format, 'tfjs' | 'hf'>;

/** Text runs export as hf only; image runs as tfjs (first: it needs no conversion), h5, keras, onnx, script or notebook. */
async function pickFormat(run: string, kind: RunKind): Promise<Format | undefined> {
  const formats = [...EXPORT_FORMATS_BY_KIND[kind]].sort((a, b) => (a === 'tfjs' ? -1 : b === 'tfjs' ? 1 : 0));
  const items = formats.map((format) => ({ ...FORMAT_ITEMS[format], format }));
  return (await vscode.window.showQuickPick(items, { title: `Export the model of ${basename(run)} as (opens the code that loads it)` }))?.format;
}

const FILE_FILTERS: Record<FileFormat, Record<string, string[]>> = {
  h5: { 'Keras HDF5': ['h5'] },
  keras: { 'Keras 3 archive': ['keras'] },
  onnx: { 'ONNX model': ['onnx'] },
  'keras-script': { 'Python script': ['py'] },
  notebook: { 'Jupyter notebook': ['ipynb'] },
};
const DEFAULT_ENDINGS: Record<FileFormat, string> = { h5: 'h5', keras: 'keras', onnx: 'onnx', 'keras-script': 'py', notebook: 'ipynb' };
const FOR_WHOM: Record<FileFormat, string> = { h5: 'Keras', keras: 'Keras', onnx: 'ONNX Runtime', 'keras-script': 'TensorFlow training', notebook: 'TensorFlow training' };

/** The notebook type of VS Code's built-in .ipynb support: an untitled notebook of it saves as .ipynb. */
const JUPYTER_NOTEBOOK = 'jupyter-notebook';

/** Opens the code that loads the export as an untitled notebook, its Python a cell that runs where it is. */
async function openLoaderNotebook(reply: ExportResult): Promise<void> {
  const cells = loaderCells(reply).map((cell) => new vscode.NotebookCellData(cell.kind === 'code' ? vscode.NotebookCellKind.Code : vscode.NotebookCellKind.Markup, cell.value, cell.language));
  const notebook = new vscode.NotebookData(cells);
  // as VS Code's own "New Jupyter Notebook" starts one (extensions/ipynb), so saving writes a valid nbformat 4 file
  notebook.metadata = { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 };
  await vscode.window.showNotebookDocument(await vscode.workspace.openNotebookDocument(JUPYTER_NOTEBOOK, notebook));
}

async function confirmReplace(target: vscode.Uri): Promise<boolean> {
  const exists = await vscode.workspace.fs.stat(target).then(() => true, () => false);
  return !exists || (await vscode.window.showWarningMessage(`${target.fsPath} already exists.`, { modal: true }, 'Replace')) === 'Replace';
}

async function pickTarget(run: string, format: Format): Promise<vscode.Uri | undefined> {
  const suffix = FOLDER_SUFFIX[format];
  if (!suffix) {
    const file = format as FileFormat;
    const title = `Export ${basename(run)} for ${FOR_WHOM[file]}`;
    return vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(run, `${basename(run)}.${DEFAULT_ENDINGS[file]}`)), filters: FILE_FILTERS[file], title });
  }
  const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Export Here', title: `Export the model of ${basename(run)} (${FORMAT_ITEMS[format].label})` });
  if (!folder?.[0]) return undefined;
  const target = vscode.Uri.file(join(folder[0].fsPath, `${basename(run)}-${suffix}`));
  return (await confirmReplace(target)) ? target : undefined;
}

async function exportAs(deps: ExportDeps, run: string, format: Format): Promise<vscode.Uri | undefined> {
  const target = await pickTarget(run, format);
  if (!target) return undefined;
  const reply = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Exporting the model' }, () =>
    deps.supervisor.call((c) => c.sendRequest(Requests.export, { runDir: run, format, out: target.fsPath, cacheDir: readSettings().cacheFolder })));
  deps.log.info(`exported ${run} to ${target.fsPath}`);
  // A training script or notebook is itself what to read; a model opens with the code that loads it.
  if (format === 'keras-script' || format === 'notebook') await vscode.commands.executeCommand('vscode.open', target);
  else await openLoaderNotebook(reply);
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
