// The search leaderboard panel: every trial (table and accuracy-vs-speed scatter), "Train This" on any row (the winner's
// file exists, another row's is written beside the experiment when asked). Not restored after a window reload: a
// search's result lives in the panel, the winner in its experiment file.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { SearchResult, SearchRow } from '../../../protocol/host';
import { fromSearchWebview, type FromSearchWebview, type ToSearchWebview } from '../../../protocol/webview';
import { loadBundle, WebviewChannel } from '../channel';

export const SEARCH_PANEL_TYPE = 'transferLab.search';

/** Writes a leaderboard row's experiment file (the host's experiment/searchRow) and answers its path. */
export type WriteRow = (row: SearchRow, rank: number) => Promise<string>;

export function showSearchPanel(extensionUri: vscode.Uri, experimentFile: string, result: SearchResult, writeRow: WriteRow): void {
  const title = `Best setup: ${basename(experimentFile)}`;
  const panel = vscode.window.createWebviewPanel(SEARCH_PANEL_TYPE, title, vscode.ViewColumn.Active);
  loadBundle(panel.webview, extensionUri, 'search', title);
  const files = new Map<number, Promise<string>>([[0, Promise.resolve(result.bestExperiment)]]);
  const fileOf = async (row: number) => {
    if (!files.has(row)) files.set(row, writeRow(result.leaderboard[row], row + 1));
    return vscode.Uri.file(await files.get(row)!);
  };
  const show: ToSearchWebview = {
    type: 'search/show', experiment: experimentFile, bestExperiment: result.bestExperiment, folds: result.folds, seconds: result.seconds,
    rows: result.leaderboard.map(({ base, displayName, cvAccuracy, cvStd, msPerImage, params, rung, settings }) => ({ base, displayName, cvAccuracy, cvStd, msPerImage, params, rung, settings })),
  };
  const channel = new WebviewChannel<FromSearchWebview, ToSearchWebview>(panel.webview, fromSearchWebview, async (message) => {
    if (message.type === 'ready') channel.post(show);
    if (message.type === 'search/train') await vscode.commands.executeCommand('transferLab.train', await fileOf(message.row));
    if (message.type === 'search/open') await vscode.window.showTextDocument(await fileOf(message.row));
  }, 'search');
  panel.onDidDispose(() => channel.dispose());
}
