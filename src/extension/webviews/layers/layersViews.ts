// The "Layers" sidebar view (follows the selected experiment) and layers editor panels (one per experiment).
import * as vscode from 'vscode';
import { loadBundle, restoreKeyOf } from '../channel';
import { webviewOptions } from '../html';
import type { WebviewServices } from '../services';
import { LayersSession } from './layersSession';

export const LAYERS_VIEW_ID = 'transferLab.layers';
export const LAYERS_PANEL_TYPE = 'transferLab.layersPanel';

export class LayersViewProvider implements vscode.WebviewViewProvider {
  constructor(private readonly extensionUri: vscode.Uri, private readonly services: WebviewServices) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    loadBundle(view.webview, this.extensionUri, 'layers', 'Layers');
    const session = new LayersSession(view.webview, this.services, 'active');
    view.onDidDispose(() => session.dispose());
  }
}

export class LayersPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  constructor(private readonly extensionUri: vscode.Uri, private readonly services: WebviewServices) {}

  open(experiment: vscode.Uri): void {
    const existing = this.panels.get(experiment.toString());
    if (existing) return existing.reveal();
    const bundleRoot = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(LAYERS_PANEL_TYPE, 'Layers', vscode.ViewColumn.Active, webviewOptions(bundleRoot));
    this.attach(panel, experiment);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const key = restoreKeyOf(state);
    const uri = key ? experimentUriOf(key) : undefined;
    if (!uri || this.panels.has(uri.toString())) return panel.dispose();
    this.attach(panel, uri);
  }

  private attach(panel: vscode.WebviewPanel, experiment: vscode.Uri): void {
    panel.title = `Layers: ${vscode.workspace.asRelativePath(experiment)}`;
    loadBundle(panel.webview, this.extensionUri, 'layers', panel.title);
    const session = new LayersSession(panel.webview, this.services, experiment);
    this.panels.set(experiment.toString(), panel);
    panel.onDidDispose(() => {
      session.dispose();
      this.panels.delete(experiment.toString());
    });
  }

  dispose(): void {
    [...this.panels.values()].forEach((p) => p.dispose());
  }
}

/** A saved experiment URI, if it still looks like one (webview state is untrusted). */
function experimentUriOf(key: string): vscode.Uri | undefined {
  try {
    const uri = vscode.Uri.parse(key, true);
    return uri.path.endsWith('.json') ? uri : undefined;
  } catch {
    return undefined;
  }
}
