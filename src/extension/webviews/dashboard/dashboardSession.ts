// Feeds one dashboard webview: a snapshot of the run folder after every ready, then live events; handles exports.
import * as vscode from 'vscode';
import { resolve } from 'node:path';
import { fromDashboardWebview, type DataHealthLine, type FromDashboardWebview, type ToDashboardWebview } from '../../../protocol/webview';
import { dataSummary } from '../dataHealth/healthView';
import { WebviewChannel } from '../channel';
import { heatmapView, reportHeatmaps } from './heatmapView';
import type { RunEvent, WebviewServices } from '../services';
import { readEvaluation } from './evaluationRead';
import { saveCsv, savePng, saveReport } from './exports';
import { isEventForRun, runEventMessage } from './runEvents';
import { insideRoots, readEndings, readRunSnapshot, readStateView } from './runFolderSnapshot';

// Events kept to replay after a snapshot: the engine appends to metrics.jsonl just after it emits an event.
const RECENT_EVENTS = 512;

export class DashboardSession implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: WebviewChannel<FromDashboardWebview, ToDashboardWebview>;
  private readonly recent: RunEvent[] = [];
  private ready = false;
  /** The evaluation to show once the page is ready (Evaluate's "Open Dashboard"). */
  private split: string | undefined;
  /** The line about a completed image run's data: checked once per panel, from cached features only. */
  private dataLine: DataHealthLine | undefined;
  private kind: 'image' | 'text' | undefined;

  constructor(private readonly webview: vscode.Webview, private readonly runDir: string, private readonly roots: readonly string[], private readonly services: WebviewServices) {
    this.channel = new WebviewChannel(webview, fromDashboardWebview, (m) => this.receive(m), 'dashboard');
    this.disposables.push(this.channel, services.onRunEvent((event) => this.onRunEvent(event)));
  }

  private async receive(message: FromDashboardWebview): Promise<void> {
    if (message.type === 'ready') {
      this.ready = true;
      return this.sendSnapshot();
    }
    if (message.type === 'export/png') return savePng(this.runDir, message.chart, message.dataUrl);
    if (message.type === 'export/csv') return saveCsv(this.runDir);
    if (message.type === 'heatmaps/request') return this.sendHeatmaps(message.paths);
    if (message.type === 'check/data') return void (await vscode.commands.executeCommand('transferLab.checkDataset', this.runDir));
    // a thumbnail opens its image: only images this panel may show anyway (inside the run's dataset folders)
    if (message.type === 'open/image') {
      if (insideRoots(this.roots, message.path)) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(resolve(message.path)));
      return;
    }
    // only the images this panel may show anyway (inside the run's dataset folders) are read for the report
    const allowed = (paths: string[]) => paths.filter((path) => insideRoots(this.roots, path));
    return saveReport(this.runDir, (paths) => this.services.thumbnails(allowed(paths)), (paths) => reportHeatmaps(this.services, this.runDir, allowed(paths)));
  }

  /** Only images this panel may show anyway (inside the run's dataset folders) are explained; a failure is shown, not thrown. */
  private async sendHeatmaps(paths: readonly string[]): Promise<void> {
    const allowed = paths.filter((path) => insideRoots(this.roots, path));
    try {
      const { method, layer, heatmaps } = await this.services.heatmaps(this.runDir, allowed);
      this.channel.post({ type: 'run/heatmaps', method, layer, heatmaps: heatmaps.map(heatmapView) });
    } catch (error) {
      this.channel.post({ type: 'run/heatmaps', heatmaps: allowed.map((path) => ({ path, error: 'no heatmap' })), error: (error as Error).message.slice(0, 500) });
    }
  }

  private onRunEvent(event: RunEvent): void {
    if (!isEventForRun(event, this.runDir)) return;
    this.recent.push(event);
    if (this.recent.length > RECENT_EVENTS) this.recent.shift();
    if (!this.ready) return;
    this.channel.post(runEventMessage(event));
    if (event.kind === 'state' && event.data.state !== 'running') void this.sendFinal();
  }

  /** Shows one evaluation in the matrix; read again first, since it may have been written a moment ago. */
  showSplit(split: string | undefined): void {
    this.split = split;
    if (!split || !this.ready) return;
    void readEvaluation(this.runDir, (path) => this.imageUri(path)).then((evaluation) => {
      if (evaluation) this.channel.post({ type: 'run/evaluation', evaluation });
      this.channel.post({ type: 'run/showSplit', split });
    });
  }

  private async sendSnapshot(): Promise<void> {
    const snapshot = await readRunSnapshot(this.runDir, (path) => this.imageUri(path));
    this.channel.post({ type: 'run/snapshot', snapshot });
    this.kind = snapshot.header.kind;
    this.checkData(this.kind, snapshot.state.state);
    if (this.split) this.channel.post({ type: 'run/showSplit', split: this.split });
    // replaying is idempotent in the webview (points are keyed), and covers events not yet on disk
    for (const event of this.recent) this.channel.post(runEventMessage(event));
  }

  /** A finished run has a final state.json (with timestamps) and, when it completed, an evaluation. */
  private async sendFinal(): Promise<void> {
    const state = await readStateView(this.runDir);
    this.channel.post({ type: 'run/state', state });
    this.channel.post({ type: 'run/endings', endings: await readEndings(this.runDir) });
    const evaluation = await readEvaluation(this.runDir, (path) => this.imageUri(path));
    if (evaluation) this.channel.post({ type: 'run/evaluation', evaluation });
    this.checkData(this.kind, state.state);
  }

  /** Computed when the panel shows a completed image run, not at the end of training: a run pays nothing for it, and
   * from cached features (no base pass) it takes seconds; runs whose features are not all cached get no line. */
  private checkData(kind: 'image' | 'text' | undefined, state: string): void {
    if (this.dataLine) return void (this.dataLine.state !== 'unknown' && this.channel.post({ type: 'run/dataHealth', ...this.dataLine }));
    if (kind !== 'image' || state !== 'completed') return;
    const show = (line: DataHealthLine) => this.channel.post({ type: 'run/dataHealth', ...(this.dataLine = line) });
    show({ state: 'checking', labelIssues: 0, leaked: 0 });
    this.services.checkRunData(this.runDir).then((report) => show({ state: 'checked', ...dataSummary(report) }), () => show({ state: 'unknown', labelIssues: 0, leaked: 0 }));
  }

  private imageUri(path: string): string | undefined {
    return insideRoots(this.roots, path) ? this.webview.asWebviewUri(vscode.Uri.file(resolve(path))).toString() : undefined;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
