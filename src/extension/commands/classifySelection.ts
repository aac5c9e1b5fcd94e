// "Classify Selection": runs a trained text model on the text selected in any editor (or typed, when a text run is
// chosen first from the Experiments tree or Predict).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { Requests } from '../../protocol/host';
import { pickRun } from '../experiments/pickers';
import { reportError } from '../notify';
import { refuseUntrusted, TRUST_REASONS } from '../trust';
import type { PredictDeps } from './predict';
import { predictionItems } from './predictionItems';

function selectedText(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor?.document.getText(editor.selection).trim() || undefined;
}

export async function classifySelection(deps: PredictDeps, runDir?: string): Promise<void> {
  if (refuseUntrusted('Classification', TRUST_REASONS.runModel)) return;
  const text = selectedText() ?? (runDir ? (await vscode.window.showInputBox({ prompt: `Text to classify with ${basename(runDir)}` }))?.trim() : undefined);
  if (!text) {
    if (!runDir) void vscode.window.showInformationMessage('Select some text in an editor first, then run Classify Selection.');
    return;
  }
  const run = runDir ?? (await pickRun(deps.tree, 'Classify with which text run?', (r) => r.hasModel && r.kind === 'text'));
  if (!run) return;
  try {
    const predictions = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Classifying the selection with ${basename(run)}` }, () =>
      deps.supervisor.call((c) => c.sendRequest(Requests.predict, { runDir: run, inputs: [], texts: [text], top: 3 })),
    );
    const [first] = predictions;
    deps.log.info(`classify (${text.length} chars) with ${run}: ${first.top?.map((t) => `${t.label} ${(t.confidence * 100).toFixed(1)}%`).join(', ')}`);
    const note = first.truncated ? ' — only its start was read (longer than the model reads)' : '';
    await vscode.window.showQuickPick(predictionItems(predictions), { title: `Classes for the selection — run ${basename(run)}${note}` });
  } catch (error) {
    await reportError(deps.log, `Classifying the selection with ${basename(run)} failed`, error);
  }
}
