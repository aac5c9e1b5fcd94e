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
import { predictionHeatmapsHtml, PREDICTION_PICTURE_SIDE } from './predictionHeatmaps';
import { predictionItems } from './predictionItems';
import { createNonce } from '../webviews/html';

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

/** The images beside their heatmaps for the top class, in a script-free page beside the editor. */
async function showHeatmaps(deps: PredictDeps, run: string, paths: string[]): Promise<void> {
  const [result, { thumbnails }] = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Finding where ${basename(run)} looks` },
    () => deps.supervisor.call((c) => Promise.all([
      c.sendRequest(Requests.heatmaps, { runDir: run, files: paths }),
      c.sendRequest(Requests.thumbnails, { paths, maxSide: PREDICTION_PICTURE_SIDE }),
    ])),
  );
  const panel = vscode.window.createWebviewPanel('transferLab.heatmaps', `Where ${basename(run)} looks`, vscode.ViewColumn.Beside, { enableScripts: false, enableCommandUris: false, localResourceRoots: [] });
  const byPath = new Map(paths.flatMap((path, i) => (thumbnails[i] ? [[path, thumbnails[i]] as const] : [])));
  panel.webview.html = predictionHeatmapsHtml(basename(run), result, byPath, createNonce());
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
    const explain = { label: '$(eye) Show where the model looks', description: 'a heatmap of the evidence for the top class' };
    const readable = predictions.filter((p) => p.top).map((p) => p.path);
    const items = [...predictionItems(predictions), ...(readable.length ? [{ label: '', kind: vscode.QuickPickItemKind.Separator }, explain] : [])];
    const picked = await vscode.window.showQuickPick(items, { title: `Predictions for ${what} — run ${basename(run)}`, placeHolder: 'Top classes with confidence', matchOnDescription: true });
    if (picked === explain) await showHeatmaps(deps, run, readable);
  } catch (error) {
    await reportError(deps.log, `Predicting ${what} with ${basename(run)} failed`, error);
  }
}
