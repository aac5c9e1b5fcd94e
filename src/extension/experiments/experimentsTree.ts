// The Experiments view: experiment files in the workspace and, under each, its runs (state, best accuracy, engine,
// date). It follows the files: edits, new runs and state changes refresh it.
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { setContextKey } from '../contextKeys';
import { Coalesced } from '../util/coalesce';
import { EXPERIMENT_SUFFIX } from './experimentText';
import { summarizeRun } from '../../engine/runs';
import { RUNS_DIR, STATE_FILE } from '../../shared/runLayout';
import { runItemModel, runsOfExperiment } from './runSummary';
import { RowCommands } from './rowCommands';
import { StableNodes, type ExperimentNode as StableExperiment, type FoundExperiment, type RunNode as StableRun } from './stableNodes';

export const EXPERIMENT_GLOB = `**/*${EXPERIMENT_SUFFIX}`;
const RUN_STATE_GLOB = `**/${RUNS_DIR}/*/${STATE_FILE}`;
const EXCLUDE_GLOB = '**/{node_modules,.git,runs,.cache}/**';
// a run reports its state every epoch: the tree re-reads at most twice a second, and never later than this after a change
const REFRESH_DELAY_MS = 500;

export type ExperimentNode = StableExperiment<vscode.Uri>;
export type RunNode = StableRun<vscode.Uri>;
export type ExperimentsNode = ExperimentNode | RunNode;

function nameIn(text: string): unknown {
  try {
    return (JSON.parse(text) as { name?: unknown } | null)?.name;
  } catch {
    return undefined;
  }
}

/** The experiment's `name` (runs are matched on it), read leniently: a half-typed file still shows up. */
async function experimentName(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const name = nameIn(open?.getText() ?? (await readFile(uri.fsPath, 'utf8').catch(() => '')));
  return typeof name === 'string' && name ? name : basename(uri.fsPath, EXPERIMENT_SUFFIX);
}

export class ExperimentsTree implements vscode.TreeDataProvider<ExperimentsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExperimentsNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly nodes = new StableNodes<vscode.Uri>();
  /** The latest read; reads run one after another, so an older, slower one never overwrites a newer one. */
  private reading: Promise<void> | undefined;
  private readonly reload = new Coalesced(REFRESH_DELAY_MS, () => void this.read());
  private readonly rowCommands = new RowCommands(
    (id, run) => vscode.commands.registerCommand(id, run),
    (runDir) => vscode.commands.executeCommand('transferLab.openDashboard', runDir),
  );
  private readonly subscriptions: vscode.Disposable[] = [this.changed, this.reload, this.rowCommands];

  constructor() {
    for (const glob of [EXPERIMENT_GLOB, RUN_STATE_GLOB]) {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      const later = () => this.refresh();
      this.subscriptions.push(watcher, watcher.onDidCreate(later), watcher.onDidChange(later), watcher.onDidDelete(later));
    }
    this.subscriptions.push(vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()));
  }

  /** Re-reads experiments and runs shortly, once for a burst of changes (eagerly: context keys depend on it). */
  refresh(): void {
    this.reload.request();
  }

  async getChildren(node?: ExperimentsNode): Promise<ExperimentsNode[]> {
    if (!node) return this.all();
    if (node.kind === 'run') return [];
    await this.reading;
    return node.runs.flatMap((runDir) => this.nodes.run(runDir) ?? []);
  }

  getTreeItem(node: ExperimentsNode): vscode.TreeItem {
    if (node.kind === 'experiment') {
      const label = basename(node.uri.fsPath, EXPERIMENT_SUFFIX);
      const item = new vscode.TreeItem(label, node.runs.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      // the id changes once, when the first run appears, so the item opens to show it
      item.id = `${node.uri.toString()}#${node.runs.length > 0}`;
      item.resourceUri = node.uri;
      item.iconPath = new vscode.ThemeIcon('beaker');
      const folder = dirname(node.uri.fsPath);
      const relative = vscode.workspace.asRelativePath(folder, false);
      item.description = [`${node.runs.length} run${node.runs.length === 1 ? '' : 's'}`, relative === folder ? '' : relative].filter(Boolean).join(' · ');
      item.tooltip = `${node.name}\n${node.uri.fsPath}`;
      item.contextValue = 'experiment';
      item.command = { title: 'Open', command: 'vscode.open', arguments: [node.uri] };
      return item;
    }
    const model = runItemModel(node.summary);
    const item = new vscode.TreeItem(model.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.runDir;
    item.description = model.description;
    item.tooltip = model.tooltip;
    item.iconPath = new vscode.ThemeIcon(model.icon);
    item.contextValue = model.contextValue;
    // no arguments: a command with arguments goes stale when the row refreshes (see rowCommands.ts)
    item.command = { title: 'Open Dashboard', command: this.rowCommands.idFor(node.runDir) };
    return item;
  }

  /** All experiments with their runs (newest first), as last read. */
  async all(): Promise<ExperimentNode[]> {
    await (this.reading ?? this.read());
    return [...this.nodes.experiments];
  }

  /** Whether the last read found this experiment file. */
  knows(uri: vscode.Uri): boolean {
    return this.nodes.experiments.some((e) => e.uri.toString() === uri.toString());
  }

  private read(): Promise<void> {
    const reading = (this.reading ?? Promise.resolve()).then(() => this.readOnce());
    this.reading = reading.catch(() => undefined);
    return this.reading;
  }

  private async readOnce(): Promise<void> {
    const found = await this.find();
    const runDirs = found.flatMap((e) => e.runs);
    const summaries = new Map(await Promise.all(runDirs.map(async (runDir) => [runDir, await summarizeRun(runDir)] as const)));
    const change = this.nodes.update(found, summaries);
    this.rowCommands.keepOnly(new Set(runDirs));
    setContextKey('transferLab.hasExperiments', found.length > 0);
    setContextKey('transferLab.hasRuns', runDirs.length > 0);
    if (change === 'all') this.changed.fire(undefined);
    else if (change.length > 0) this.changed.fire(change);
  }

  private async find(): Promise<FoundExperiment<vscode.Uri>[]> {
    const uris = (await vscode.workspace.findFiles(EXPERIMENT_GLOB, EXCLUDE_GLOB)).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
    return Promise.all(uris.map(async (uri) => {
      const name = await experimentName(uri);
      return { key: uri.toString(), uri, name, runs: await runsOfExperiment(uri.fsPath, name).catch(() => []) };
    }));
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}
