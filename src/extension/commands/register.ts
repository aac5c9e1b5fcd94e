// Every command the extension contributes (except the webviews' own), registered into context.subscriptions.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { EXPERIMENT_FILE } from '../../shared/runLayout';
import type { ExperimentsTree } from '../experiments/experimentsTree';
import { activeEditorExperiment, pickExperiment, pickRun } from '../experiments/pickers';
import { isResumable } from '../../shared/runStates';
import type { HostSupervisor } from '../host/supervisor';
import type { TrainingController } from '../training/trainingController';
import { newExperiment } from '../wizard/newExperiment';
import { checkDataset } from './checkDataset';
import { createSample } from './createSample';
import { evaluate } from './evaluate';
import { classifySelection } from './classifySelection';
import { exportModel } from './exportModel';
import { findBestSetup, findLearningRate } from './findSetup';
import { predict } from './predict';
import { experimentArg, runArg } from './subjects';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  supervisor: HostSupervisor;
  tree: ExperimentsTree;
  training: TrainingController;
  log: vscode.LogOutputChannel;
}

export function registerCommands(deps: CommandDeps): void {
  const { context, supervisor, tree, training, log } = deps;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- VS Code passes each command its own argument types
  const commands: Record<string, (...args: any[]) => unknown> = {
    'transferLab.newExperiment': (folder?: vscode.Uri) => newExperiment(supervisor, log, folder instanceof vscode.Uri ? folder : undefined),
    'transferLab.train': async (arg?: unknown) => {
      const experiment = experimentArg(arg) ?? activeEditorExperiment() ?? (await pickExperiment(tree, 'Train which experiment?'));
      return experiment && training.train({ experiment });
    },
    'transferLab.stop': () => training.stop(),
    'transferLab.resume': async (arg?: unknown) => {
      const runDir = runArg(arg) ?? (await pickRun(tree, 'Resume which run?', (r) => isResumable(r.state)));
      return runDir && training.train({ experiment: vscode.Uri.file(join(runDir, EXPERIMENT_FILE)), resumeRunDir: runDir });
    },
    'transferLab.evaluate': (arg?: unknown) => evaluate(deps, runArg(arg)),
    // explorer menus pass (clicked item, all selected items); other callers pass (undefined, run folder)
    'transferLab.predict': (arg?: unknown, second?: unknown) => {
      const targets = Array.isArray(second) ? (second as vscode.Uri[]) : arg instanceof vscode.Uri ? [arg] : undefined;
      return predict(deps, targets, typeof second === 'string' ? second : runArg(arg instanceof vscode.Uri ? undefined : arg));
    },
    // the editor's context menu passes the document's URI, the Experiments tree its run
    'transferLab.classifySelection': (arg?: unknown) => classifySelection(deps, arg instanceof vscode.Uri ? undefined : runArg(arg)),
    'transferLab.exportModel': (arg?: unknown) => exportModel(deps, runArg(arg)),
    'transferLab.revealRun': (arg?: unknown) => {
      const runDir = runArg(arg);
      return runDir && vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(runDir));
    },
    'transferLab.refreshExperiments': () => tree.refresh(),
    'transferLab.showLog': () => log.show(),
    'transferLab.createSample': () => createSample(supervisor, log),
    'transferLab.findBestSetup': (arg?: unknown) => findBestSetup(deps, arg),
    'transferLab.findLearningRate': (arg?: unknown) => findLearningRate(deps, arg),
    // the Explorer passes a folder (or experiment file), the dashboard its run folder, the palette nothing
    'transferLab.checkDataset': (arg?: unknown) => checkDataset(deps, arg),
  };
  for (const [id, handler] of Object.entries(commands)) context.subscriptions.push(vscode.commands.registerCommand(id, handler));
}
