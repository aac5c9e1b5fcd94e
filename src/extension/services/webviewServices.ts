// What the Layers view and the dashboard need from the extension: the experiment as the editor has it (saved or
// not), its base model's layers from the host, trainable edits as undoable WorkspaceEdits, live run events.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { Requests, type DoctorReport, type HeatmapsResult, type InspectModelResult } from '../../protocol/host';
import { EXPERIMENT_FILE } from '../../shared/runLayout';
import type { AnyExperiment, TrainableSpec } from '../../protocol/experiment';
import { applyExperimentEdits } from '../edits/applyEdits';
import { trainableEdits } from '../edits/trainableEdit';
import { inspectParams, isExperimentFile, parseExperimentText } from '../experiments/experimentText';
import { EXPERIMENT_GLOB, type ExperimentsTree, type ExperimentsNode } from '../experiments/experimentsTree';
import { activeEditorExperiment } from '../experiments/pickers';
import { runsOfExperiment } from '../experiments/runSummary';
import type { HostSupervisor } from '../host/supervisor';
import { readSettings } from '../settings';
import type { Event } from '../util/emitter';
import type { RunEvent, WebviewServices } from '../webviews/services';

const CHANGE_DELAY_MS = 200;
/** Report thumbnails: big enough to recognise a picture, small enough for hundreds in one file. */
const THUMBNAIL_SIDE = 96;

export class ExtensionWebviewServices implements WebviewServices, vscode.Disposable {
  private readonly experimentChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly activeChanged = new vscode.EventEmitter<vscode.Uri | undefined>();
  private readonly runEvent = new vscode.EventEmitter<RunEvent>();
  readonly onDidChangeExperiment = this.experimentChanged.event;
  readonly onDidChangeActiveExperiment = this.activeChanged.event;
  readonly onRunEvent = this.runEvent.event;
  readonly onDidGrantTrust = vscode.workspace.onDidGrantWorkspaceTrust;
  private readonly subscriptions: vscode.Disposable[] = [this.experimentChanged, this.activeChanged, this.runEvent];
  private readonly inspected = new Map<string, Promise<InspectModelResult>>();
  private readonly pendingChanges = new Map<string, NodeJS.Timeout>();
  private active: vscode.Uri | undefined;

  /** `followed`: events of the runs this window's host is not training, read from their files (see RunFollower). */
  constructor(private readonly supervisor: HostSupervisor, private readonly tree: ExperimentsTree, private readonly treeView: vscode.TreeView<ExperimentsNode>, followed: Event<RunEvent>) {
    const watcher = vscode.workspace.createFileSystemWatcher(EXPERIMENT_GLOB);
    const changed = (uri: vscode.Uri) => this.changedSoon(uri);
    this.subscriptions.push(
      watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed),
      vscode.workspace.onDidChangeTextDocument((e) => isExperimentFile(e.document.uri.fsPath) && e.contentChanges.length > 0 && this.changedSoon(e.document.uri)),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateActive()),
      treeView.onDidChangeSelection(() => this.updateActive()),
      supervisor.onBatch((data) => this.runEvent.fire({ kind: 'batch', data })),
      supervisor.onEpoch((data) => this.runEvent.fire({ kind: 'epoch', data })),
      supervisor.onRunState((data) => this.runEvent.fire({ kind: 'state', data })),
      followed((event) => this.runEvent.fire(event)),
    );
    this.active = this.activeExperiment();
  }

  async readExperiment(uri: vscode.Uri): Promise<AnyExperiment> {
    const document = await vscode.workspace.openTextDocument(uri);
    return parseExperimentText(document.getText(), uri.fsPath);
  }

  async inspectModel(uri: vscode.Uri, experiment: AnyExperiment): Promise<InspectModelResult> {
    const params = await inspectParams(experiment, uri.fsPath, readSettings().cacheFolder);
    // loading a model takes seconds; the same base is asked for on every edit of the experiment
    const key = JSON.stringify(params);
    let model = this.inspected.get(key);
    if (!model) {
      model = this.supervisor.call((c) => c.sendRequest(Requests.inspectModel, params));
      this.inspected.set(key, model);
      model.catch(() => this.inspected.delete(key));
    }
    return model;
  }

  async setTrainable(uri: vscode.Uri, phaseIndex: number, spec: TrainableSpec): Promise<void> {
    await applyExperimentEdits(uri, (text) => trainableEdits(text, phaseIndex, spec));
  }

  /** The experiment in the editor or selected in the tree; else the last one that was (a dashboard in front keeps it). */
  activeExperiment(): vscode.Uri | undefined {
    const selected = this.treeView.selection[0];
    return activeEditorExperiment() ?? (selected?.kind === 'experiment' ? selected.uri : selected?.experiment) ?? this.active;
  }

  async experiments(): Promise<vscode.Uri[]> {
    return (await this.tree.all()).map((e) => e.uri);
  }

  async listRuns(uri: vscode.Uri): Promise<string[]> {
    const node = (await this.tree.all()).find((e) => e.uri.toString() === uri.toString());
    const name = node?.name ?? (await parseExperimentText((await vscode.workspace.openTextDocument(uri)).getText(), uri.fsPath)).name;
    // from the folder, not the tree's last read: a run started a second ago is the one whose dashboard is wanted
    return runsOfExperiment(uri.fsPath, name);
  }

  isTrusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  async thumbnails(paths: readonly string[]): Promise<Map<string, string>> {
    if (paths.length === 0) return new Map();
    const { thumbnails } = await this.supervisor.call((c) => c.sendRequest(Requests.thumbnails, { paths: [...paths], maxSide: THUMBNAIL_SIDE }));
    return new Map(paths.flatMap((path, i) => (thumbnails[i] ? [[path, thumbnails[i]] as const] : [])));
  }

  heatmaps(runDir: string, paths: readonly string[]): Promise<HeatmapsResult> {
    return this.supervisor.call((c) => c.sendRequest(Requests.heatmaps, { runDir, files: [...paths] }));
  }

  checkRunData(runDir: string): Promise<DoctorReport> {
    return this.supervisor.call((c) => c.sendRequest(Requests.doctor, { target: join(runDir, EXPERIMENT_FILE), cachedOnly: true, cacheDir: readSettings().cacheFolder }));
  }

  private changedSoon(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.pendingChanges.get(key));
    this.pendingChanges.set(key, setTimeout(() => (this.pendingChanges.delete(key), this.experimentChanged.fire(uri)), CHANGE_DELAY_MS));
  }

  private updateActive(): void {
    // an experiment deleted or renamed is no longer shown; otherwise the last one stays while a dashboard has focus
    if (this.active && !this.tree.knows(this.active)) this.active = undefined;
    const next = this.activeExperiment();
    if (next?.toString() === this.active?.toString()) return;
    this.active = next;
    this.activeChanged.fire(next);
  }

  dispose(): void {
    this.pendingChanges.forEach((timer) => clearTimeout(timer));
    this.subscriptions.forEach((s) => s.dispose());
  }
}
