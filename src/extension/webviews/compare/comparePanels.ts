// Compare-runs editor panels: the curves and headline metrics of two or more runs, updated while any of them trains.
import * as vscode from 'vscode';
import { basename, resolve } from 'node:path';
import { fromCompareWebview, type FromCompareWebview, type ToCompareWebview } from '../../../protocol/webview';
import { loadBundle, restoreKeyOf, WebviewChannel } from '../channel';
import { savePng } from '../dashboard/exports';
import { isRunFolder } from '../dashboard/dashboardPanels';
import { epochPointOf } from '../dashboard/runFolderSnapshot';
import { isEventForRun } from '../dashboard/runEvents';
import { webviewOptions } from '../html';
import type { WebviewServices } from '../services';
import { readCompareRun, runDirsOf } from './compareRead';

export const COMPARE_PANEL_TYPE = 'transferLab.compare';

export class ComparePanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Set<vscode.WebviewPanel>();

  constructor(private readonly extensionUri: vscode.Uri, private readonly services: WebviewServices) {}

  open(runDirs: string[]): void {
    const panel = vscode.window.createWebviewPanel(COMPARE_PANEL_TYPE, 'Compare runs', vscode.ViewColumn.Active, webviewOptions(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')));
    this.attach(panel, runDirs.map((d) => resolve(d)));
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const key = restoreKeyOf(state);
    const dirs = key ? runDirsOf(key).map((d) => resolve(d)) : [];
    const runs = (await Promise.all(dirs.map(async (d) => ((await isRunFolder(d)) ? [d] : [])))).flat();
    if (runs.length === 0) return panel.dispose();
    this.attach(panel, runs);
  }

  private attach(panel: vscode.WebviewPanel, runDirs: string[]): void {
    panel.title = `Compare ${runDirs.length} runs`;
    loadBundle(panel.webview, this.extensionUri, 'compare', panel.title);
    const send = async (): Promise<void> => channel.post({ type: 'compare/show', restoreKey: JSON.stringify(runDirs), runs: await Promise.all(runDirs.map(readCompareRun)) });
    const channel: WebviewChannel<FromCompareWebview, ToCompareWebview> = new WebviewChannel(panel.webview, fromCompareWebview, (m) => (m.type === 'ready' ? send() : savePng(runDirs[0], m.chart, m.dataUrl)), 'compare');
    const events = this.services.onRunEvent((event) => {
      const runDir = runDirs.find((d) => isEventForRun(event, d));
      if (!runDir) return;
      if (event.kind === 'epoch') channel.post({ type: 'compare/epoch', id: basename(runDir), point: epochPointOf(event.data as unknown as Record<string, unknown>) });
      if (event.kind === 'state' && event.data.state !== 'running') void send();
    });
    this.panels.add(panel);
    panel.onDidDispose(() => {
      channel.dispose();
      events.dispose();
      this.panels.delete(panel);
    });
  }

  dispose(): void {
    [...this.panels].forEach((p) => p.dispose());
  }
}
