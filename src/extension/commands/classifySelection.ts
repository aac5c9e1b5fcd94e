// "Classify Selection": runs a trained text model on the text selected in any editor.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Requests } from '../../protocol/host';
import { MODEL_DIR, MODEL_MARKER } from '../../shared/runLayout';
import { pickRun } from '../experiments/pickers';
import { reportError } from '../notify';
import { refuseUntrusted, TRUST_REASONS } from '../trust';
import type { PredictDeps } from './predict';
import { predictionItems } from './predictionItems';

/** Text runs export their head beside a text-model.json card (image runs write preprocessing.json). */
const isTextRun = (runDir: string) => existsSync(join(runDir, MODEL_DIR, MODEL_MARKER.text));

export async function classifySelection(deps: PredictDeps): Promise<void> {
  if (refuseUntrusted('Classification', TRUST_REASONS.runModel)) return;
  const editor = vscode.window.activeTextEditor;
  const text = editor?.document.getText(editor.selection).trim();
  if (!text) {
    void vscode.window.showInformationMessage('Select some text in an editor first, then run Classify Selection.');
    return;
  }
  const run = await pickRun(deps.tree, 'Classify with which text run?', (r) => r.hasModel && isTextRun(r.runDir));
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
