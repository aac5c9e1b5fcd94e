// "Export Model": a finished run's classifier as a tfjs Layers folder, a Keras 2 .h5, a Keras 3 .keras or an ONNX file,
// each written by the CLI (h5wasm and tfjs stay out of the editor) and opened with the code that loads it.
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
    { label: 'ONNX (.onnx)', description: 'ONNX Runtime in Python, C#, Java, JavaScript…; feed pixels, get probabilities', format: 'onnx' },
    { label: 'TensorFlow/Keras training script (.py)', description: 'the experiment for GPUs and clusters (tf.distribute), not run here', format: 'keras-script' },
    { label: 'TensorFlow/Keras training notebook (.ipynb)', description: 'the same script as Jupyter cells', format: 'notebook' },
  ];
  return (await vscode.window.showQuickPick(items, { title: `Export the model of ${basename(run)} as (opens the code that loads it)` }))?.format;
}

const FILE_FILTERS: Record<Exclude<Format, 'tfjs'>, Record<string, string[]>> = {
  h5: { 'Keras HDF5': ['h5'] },
  keras: { 'Keras 3 archive': ['keras'] },
  onnx: { 'ONNX model': ['onnx'] },
  'keras-script': { 'Python script': ['py'] },
  notebook: { 'Jupyter notebook': ['ipynb'] },
};
const DEFAULT_ENDINGS: Record<Exclude<Format, 'tfjs'>, string> = { h5: 'h5', keras: 'keras', onnx: 'onnx', 'keras-script': 'py', notebook: 'ipynb' };
const FOR_WHOM: Record<Exclude<Format, 'tfjs'>, string> = { h5: 'Keras', keras: 'Keras', onnx: 'ONNX Runtime', 'keras-script': 'TensorFlow training', notebook: 'TensorFlow training' };

interface ExportReply {
  python: string;
  csharp?: string;
  javascript?: string;
}

/** The Python that loads the export, or for ONNX a Markdown page with Python, C# and JavaScript. */
function loaderDocument(reply: ExportReply): { language: string; content: string } {
  if (reply.csharp === undefined || reply.javascript === undefined) return { language: 'python', content: reply.python };
  const block = (title: string, language: string, code: string) => `## ${title}\n\n\`\`\`${language}\n${code}\n\`\`\`\n`;
  const content = ['# Load the ONNX model and classify a photo\n', block('Python (onnxruntime)', 'python', reply.python), block('C# (Microsoft.ML.OnnxRuntime)', 'csharp', reply.csharp), block('JavaScript (onnxruntime-node)', 'javascript', reply.javascript)].join('\n');
  return { language: 'markdown', content };
}

async function confirmReplace(target: vscode.Uri): Promise<boolean> {
  const exists = await vscode.workspace.fs.stat(target).then(() => true, () => false);
  return !exists || (await vscode.window.showWarningMessage(`${target.fsPath} already exists.`, { modal: true }, 'Replace')) === 'Replace';
}

async function pickTarget(run: string, format: Format): Promise<vscode.Uri | undefined> {
  if (format !== 'tfjs') {
    const title = `Export ${basename(run)} for ${FOR_WHOM[format]}`;
    return vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(run, `${basename(run)}.${DEFAULT_ENDINGS[format]}`)), filters: FILE_FILTERS[format], title });
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
  const reply = JSON.parse(out.trim().split('\n').pop()!) as ExportReply;
  log.info(`exported ${run} to ${target.fsPath}`);
  // A training script or notebook is itself what to read; a model opens with the code that loads it.
  if (format === 'keras-script' || format === 'notebook') await vscode.commands.executeCommand('vscode.open', target);
  else await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(loaderDocument(reply)));
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
