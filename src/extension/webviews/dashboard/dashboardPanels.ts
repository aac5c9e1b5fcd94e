// One dashboard editor panel per run folder; restored after a window reload from the folder the webview remembers.
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { EXPERIMENT_FILE, STATE_FILE } from '../../../shared/runLayout';
import { loadBundle, restoreKeyOf } from '../channel';
import { webviewOptions } from '../html';
import type { WebviewServices } from '../services';
import { DashboardSession } from './dashboardSession';
import { readJson } from './jsonFields';
import { datasetRoots } from './runFolderSnapshot';

export const DASHBOARD_PANEL_TYPE = 'transferLab.dashboard';

export class DashboardPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  constructor(private readonly extensionUri: vscode.Uri, private readonly services: WebviewServices) {}

  async open(runDir: string): Promise<void> {
    const dir = resolve(runDir);
    const existing = this.panels.get(dir);
    if (existing) return existing.reveal();
    if (!(await isRunFolder(dir))) throw new Error(`${dir} is not a run folder (it has no ${STATE_FILE})`);
    const roots = await this.roots(dir);
    const panel = vscode.window.createWebviewPanel(DASHBOARD_PANEL_TYPE, title(dir), vscode.ViewColumn.Active, webviewOptions(this.bundleRoot(), roots.map((r) => vscode.Uri.file(r))));
    this.attach(panel, dir, roots);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const key = restoreKeyOf(state);
    const dir = key ? resolve(key) : undefined;
    if (!dir || this.panels.has(dir) || !(await isRunFolder(dir))) return panel.dispose();
    this.attach(panel, dir, await this.roots(dir));
  }

  private attach(panel: vscode.WebviewPanel, runDir: string, roots: string[]): void {
    panel.title = title(runDir);
    loadBundle(panel.webview, this.extensionUri, 'dashboard', panel.title, roots.map((r) => vscode.Uri.file(r)));
    const session = new DashboardSession(panel.webview, runDir, roots, this.services);
    this.panels.set(runDir, panel);
    panel.onDidDispose(() => {
      session.dispose();
      this.panels.delete(runDir);
    });
  }

  private bundleRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
  }

  /** The dataset folders of this run, readable by this panel only (for its image gallery). */
  private async roots(runDir: string): Promise<string[]> {
    return datasetRoots(await readJson(join(runDir, EXPERIMENT_FILE)));
  }

  dispose(): void {
    [...this.panels.values()].forEach((p) => p.dispose());
  }
}

const title = (runDir: string) => `Run ${basename(runDir)}`;

export async function isRunFolder(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(join(dir, STATE_FILE))).isFile();
  } catch {
    return false;
  }
}
