// One dashboard editor panel per run folder; restored after a window reload from the folder the webview remembers.
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { EXPERIMENT_FILE, STATE_FILE } from '../../../engine/runs';
import { loadBundle, restoreKeyOf } from '../channel';
import { webviewOptions } from '../html';
import type { WebviewServices } from '../services';
import { DashboardSession } from './dashboardSession';
import { evaluatedFolders } from './evaluationRead';
import { readJson } from './jsonFields';
import { datasetRoots } from './runFolderSnapshot';

export const DASHBOARD_PANEL_TYPE = 'transferLab.dashboard';

export class DashboardPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; session: DashboardSession; roots: string[] }>();

  constructor(private readonly extensionUri: vscode.Uri, private readonly services: WebviewServices) {}

  /** `split` picks the evaluation the matrix shows (a split name, or an evaluated folder's name). */
  async open(runDir: string, split?: string): Promise<void> {
    const dir = resolve(runDir);
    if (!(await isRunFolder(dir))) throw new Error(`${dir} is not a run folder (it has no ${STATE_FILE})`);
    const roots = await this.roots(dir);
    const existing = this.panels.get(dir);
    // a panel may read only the folders it was made with: one evaluated on a new folder is made again
    if (existing && roots.every((r) => existing.roots.includes(r))) {
      existing.panel.reveal();
      if (split) existing.session.showSplit(split);
      return;
    }
    existing?.panel.dispose();
    const panel = vscode.window.createWebviewPanel(DASHBOARD_PANEL_TYPE, title(dir), vscode.ViewColumn.Active, webviewOptions(this.bundleRoot(), roots.map((r) => vscode.Uri.file(r))));
    this.attach(panel, dir, roots).showSplit(split);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const key = restoreKeyOf(state);
    const dir = key ? resolve(key) : undefined;
    if (!dir || this.panels.has(dir) || !(await isRunFolder(dir))) return panel.dispose();
    this.attach(panel, dir, await this.roots(dir));
  }

  private attach(panel: vscode.WebviewPanel, runDir: string, roots: string[]): DashboardSession {
    panel.title = title(runDir);
    loadBundle(panel.webview, this.extensionUri, 'dashboard', panel.title, roots.map((r) => vscode.Uri.file(r)));
    const session = new DashboardSession(panel.webview, runDir, roots, this.services);
    this.panels.set(runDir, { panel, session, roots });
    panel.onDidDispose(() => {
      session.dispose();
      if (this.panels.get(runDir)?.panel === panel) this.panels.delete(runDir);
    });
    return session;
  }

  private bundleRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
  }

  /** The dataset folders of this run and the folders it was evaluated on, readable by this panel only (for its galleries). */
  private async roots(runDir: string): Promise<string[]> {
    return [...datasetRoots(await readJson(join(runDir, EXPERIMENT_FILE))), ...(await evaluatedFolders(runDir))];
  }

  dispose(): void {
    [...this.panels.values()].forEach((p) => p.panel.dispose());
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
