// Transfer Lab's VS Code wiring. Nothing here loads TensorFlow.js: training, inspection and prediction run in the
// training host process, started on the first request that needs it.
import * as vscode from 'vscode';
import { resolve } from 'node:path';
import { writeRunState } from '../engine/runs';
import { registerCommands } from './commands/register';
import { setContextKey } from './contextKeys';
import { ExperimentsTree } from './experiments/experimentsTree';
import { registerLegacyBaseDiagnostics } from './experiments/legacyBaseDiagnostics';
import { showCrash } from './host/crashNotice';
import { startHost } from './host/startHost';
import { HostSupervisor } from './host/supervisor';
import { ExtensionWebviewServices } from './services/webviewServices';
import { affectsHost } from './settings';
import { watchRunFiles } from './training/runFileWatcher';
import { RunFollower } from './training/runFollower';
import { TrainingStatusBar } from './training/statusBar';
import { TrainingController } from './training/trainingController';
import { registerWebviews } from './webviews';

const HOST_STOP_GRACE_MS = 3000;
let supervisor: HostSupervisor | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Transfer Lab', { log: true });
  supervisor = new HostSupervisor(startHost(context, log), (runDir, message) => writeRunState(runDir, { state: 'crashed', message }));
  const tree = new ExperimentsTree();
  const treeView = vscode.window.createTreeView('transferLab.experiments', { treeDataProvider: tree, showCollapseAll: true });
  const statusBar = new TrainingStatusBar();
  const training = new TrainingController(supervisor, statusBar, log);
  const host = supervisor;
  // runs this window's host is not training (the CLI in a terminal, another window) are followed through their files
  const follower = new RunFollower((runDir) => host.trainingRun !== undefined && resolve(host.trainingRun) === runDir);
  const services = new ExtensionWebviewServices(supervisor, tree, treeView, follower.onEvent);
  context.subscriptions.push(
    log, tree, treeView, statusBar, follower, services, watchRunFiles(follower, log),
    // the status bar shows this window's run while it trains, else the last followed run that moved
    follower.onProgress((progress) => training.isTraining || statusBar.show(progress)),
    host.onCrash((crash) => (tree.refresh(), void showCrash(crash, log))),
    host.onRunState(() => tree.refresh()),
    host.onLog((m) => log[m.level](m.message)),
    vscode.workspace.onDidChangeConfiguration((e) => affectsHost(e) && void host.stopIfIdle()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => tree.refresh()),
    registerLegacyBaseDiagnostics(),
  );
  setContextKey('transferLab.training', false);
  tree.refresh();
  registerCommands({ context, supervisor, tree, training, log });
  registerWebviews(context, services);
  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
}

/** Stops the training host: asked politely, killed after a bounded wait. */
export function deactivate(): Promise<void> | undefined {
  return supervisor?.dispose(HOST_STOP_GRACE_MS);
}
