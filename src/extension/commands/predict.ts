// "Predict with Run": classify images (a file, a folder, the image open in the editor) with a finished image run's
// model; a text run classifies text instead (Classify Selection).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { readRunKind } from '../../engine/runs';
import { IMAGE_EXTENSIONS, isImagePath } from '../../shared/imageFormats';
import { Requests } from '../../protocol/host';
import type { ExperimentsTree } from '../experiments/experimentsTree';
import { pickRun } from '../experiments/pickers';
import type { HostSupervisor } from '../host/supervisor';
import { reportError } from '../notify';
import { refuseUntrusted, TRUST_REASONS } from '../trust';
import { classifySelection } from './classifySelection';
import { predictionItems } from './predictionItems';

/** The image shown in the active editor tab (images open in a custom preview, not a text editor). */
function activeImage(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri = input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : undefined;
  return uri && isImagePath(uri.path) ? uri : undefined;
}

async function chooseImages(runDir: string | undefined): Promise<vscode.Uri[] | undefined> {
  const active = activeImage();
  if (active) return [active];
  const title = runDir ? `Predict with run ${basename(runDir)}: which images?` : 'Predict: which images? (the run is chosen next)';
  return vscode.window.showOpenDialog({ canSelectMany: true, canSelectFiles: true, filters: { Images: [...IMAGE_EXTENSIONS] }, openLabel: 'Predict', title });
}

export interface PredictDeps {
  supervisor: HostSupervisor;
  tree: ExperimentsTree;
  log: vscode.LogOutputChannel;
}

export async function predict(deps: PredictDeps, targets: vscode.Uri[] | undefined, runDir: string | undefined): Promise<void> {
  if (refuseUntrusted('Prediction', TRUST_REASONS.runModel)) return;
  // a text run predicts on text: the editor's selection, or text typed in
  if (runDir && (await readRunKind(runDir)) === 'text') return classifySelection(deps, runDir);
  const images = targets?.length ? targets : await chooseImages(runDir);
  if (!images?.length) return;
  const run = runDir ?? (await pickRun(deps.tree, 'Predict with which image run?', (r) => r.hasModel && r.kind === 'image'));
  if (!run) return;
  const what = images.length === 1 ? basename(images[0].fsPath) : `${images.length} items`;
  try {
    const predictions = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Predicting ${what} with ${basename(run)}` },
      () => deps.supervisor.call((c) => c.sendRequest(Requests.predict, { runDir: run, inputs: images.map((u) => u.fsPath), top: 3 })),
    );
    for (const p of predictions) deps.log.info(`predict ${p.path}: ${p.error ?? p.top!.map((t) => `${t.label} ${(t.confidence * 100).toFixed(1)}%`).join(', ')}`);
    await vscode.window.showQuickPick(predictionItems(predictions), { title: `Predictions for ${what} — run ${basename(run)}`, placeHolder: 'Top classes with confidence', matchOnDescription: true });
  } catch (error) {
    await reportError(deps.log, `Predicting ${what} with ${basename(run)} failed`, error);
  }
}
