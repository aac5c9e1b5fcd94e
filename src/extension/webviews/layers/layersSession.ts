// Binds one layers webview (sidebar view or editor panel) to an experiment: shows its model, applies freeze edits.
import * as vscode from 'vscode';
import { fromLayersWebview, type FromLayersWebview, type ToLayersWebview } from '../../../protocol/webview';
import { WebviewChannel } from '../channel';
import type { WebviewServices } from '../services';
import { inspectRefusal } from '../../trustPolicy';
import { editProblem, layersShow, type LayersShow } from './layersMessages';

/** `'active'` follows the experiment the rest of the extension has selected; a Uri stays on that experiment. */
export type LayersTarget = 'active' | vscode.Uri;

export class LayersSession implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: WebviewChannel<FromLayersWebview, ToLayersWebview>;
  private experiment: vscode.Uri | undefined;
  private shown: LayersShow | undefined;
  private generation = 0;

  constructor(webview: vscode.Webview, private readonly services: WebviewServices, target: LayersTarget) {
    this.experiment = target === 'active' ? services.activeExperiment() : target;
    this.channel = new WebviewChannel(webview, fromLayersWebview, (m) => this.receive(m), 'layers');
    this.disposables.push(
      this.channel,
      services.onDidChangeExperiment((uri) => uri.toString() === this.experiment?.toString() && void this.refresh()),
      services.onDidGrantTrust(() => void this.refresh()),
    );
    if (target === 'active') {
      this.disposables.push(services.onDidChangeActiveExperiment((uri) => {
        if (uri?.toString() !== this.experiment?.toString()) this.shown = undefined;
        this.experiment = uri;
        void this.refresh();
      }));
    }
  }

  private async receive(message: FromLayersWebview): Promise<void> {
    if (message.type === 'ready') return this.refresh();
    const problem = editProblem(this.shown, message);
    if (problem || !this.experiment) {
      console.warn(`Transfer Lab layers webview: rejected a trainable edit (${problem ?? 'no experiment'})`);
      if (this.shown) this.channel.post(this.shown); // undo the webview's optimistic change
      return;
    }
    try {
      await this.services.setTrainable(this.experiment, message.phaseIndex, message.spec);
    } catch (error) {
      if (this.shown) this.channel.post(this.shown);
      throw error;
    }
  }

  /** Re-inspects the experiment; the newest call wins when edits arrive faster than inspection. */
  private async refresh(): Promise<void> {
    const generation = ++this.generation;
    const status = (status: 'loading' | 'noExperiment' | 'restricted' | 'error', message: string) => {
      if (generation === this.generation) this.channel.post({ type: 'layers/status', status, message });
    };
    const uri = this.experiment;
    if (!uri) return status('noExperiment', 'Select an experiment to see its model’s layers.');
    if (!this.shown) status('loading', `Inspecting ${vscode.workspace.asRelativePath(uri)}…`);
    try {
      const experiment = await this.services.readExperiment(uri);
      const refusal = inspectRefusal(experiment, this.services.isTrusted());
      if (refusal) {
        this.shown = undefined;
        return status('restricted', refusal);
      }
      const model = await this.services.inspectModel(uri, experiment);
      if (generation !== this.generation) return;
      this.shown = layersShow(uri.toString(), vscode.workspace.asRelativePath(uri), experiment, model);
      this.channel.post(this.shown);
    } catch (error) {
      this.shown = undefined;
      status('error', (error as Error).message);
    }
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
