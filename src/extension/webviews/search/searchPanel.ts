// The search leaderboard panel: every trial (table and accuracy-vs-speed scatter), "Train This" on the winner.
// Not restored after a window reload: a search's result lives in the panel, the winner in its experiment file.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { SearchResult } from '../../../protocol/host';
import { fromSearchWebview, type FromSearchWebview, type ToSearchWebview } from '../../../protocol/webview';
import { loadBundle, WebviewChannel } from '../channel';

export const SEARCH_PANEL_TYPE = 'transferLab.search';

export function showSearchPanel(extensionUri: vscode.Uri, experimentFile: string, result: SearchResult): void {
  const title = `Best setup: ${basename(experimentFile)}`;
  const panel = vscode.window.createWebviewPanel(SEARCH_PANEL_TYPE, title, vscode.ViewColumn.Active);
  loadBundle(panel.webview, extensionUri, 'search', title);
  const best = vscode.Uri.file(result.bestExperiment);
  const show: ToSearchWebview = {
    type: 'search/show', experiment: experimentFile, bestExperiment: result.bestExperiment, folds: result.folds, seconds: result.seconds,
    rows: result.leaderboard.map(({ base, displayName, cvAccuracy, cvStd, msPerImage, params, rung, settings }) => ({ base, displayName, cvAccuracy, cvStd, msPerImage, params, rung, settings })),
  };
  const channel = new WebviewChannel<FromSearchWebview, ToSearchWebview>(panel.webview, fromSearchWebview, async (message) => {
    if (message.type === 'ready') channel.post(show);
    if (message.type === 'search/train') await vscode.commands.executeCommand('transferLab.train', best);
    if (message.type === 'search/open') await vscode.window.showTextDocument(best);
  }, 'search');
  panel.onDidDispose(() => channel.dispose());
}
