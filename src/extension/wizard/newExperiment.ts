// "New Experiment": the guided wizard, then `<name>.experiment.json` written (schema-checked) and opened.
import * as vscode from 'vscode';
import { dirname, join } from 'node:path';
import type { HostSupervisor } from '../host/supervisor';
import { EXPERIMENT_SUFFIX, validateExperimentValue } from '../experiments/experimentText';
import { chooseDefaultBase, type DefaultBase } from '../../engine/models/defaultBase';
import { defaultCacheDir } from '../../engine/training/featureStore';
import { reportError } from '../notify';
import { readSettings } from '../settings';
import { datasetKind } from './datasetCandidates';
import { STEPS, type StepContext } from './steps';
import { buildExperiment, chooseDataset, WizardNavigator, type WizardAnswers } from './wizardModel';

const TITLE = 'New Transfer Lab Experiment';

/** Beside the dataset folder or file, unless the dataset is a workspace folder itself (then inside it). */
function experimentFolder(dataRoot: string): string {
  const isWorkspaceRoot = vscode.workspace.workspaceFolders?.some((f) => f.uri.fsPath === dataRoot);
  return isWorkspaceRoot ? dataRoot : dirname(dataRoot);
}

/** The transferLab.defaultBase setting, or with "auto" the rule of src/engine/models/defaultBase.ts. */
function wizardDefaultBase(): Promise<DefaultBase> {
  const { defaultBase, cacheFolder } = readSettings();
  if (defaultBase !== 'auto') return Promise.resolve({ base: defaultBase, note: 'the transferLab.defaultBase setting' });
  return chooseDefaultBase({ cacheDir: cacheFolder ?? defaultCacheDir() });
}

/** Walks the steps until the answers are complete; undefined when the user closes the wizard. */
async function ask(supervisor: HostSupervisor, answers: WizardAnswers): Promise<WizardAnswers | undefined> {
  const navigator = new WizardNavigator();
  const defaultBase = wizardDefaultBase();
  if (answers.dataRoot) navigator.next(answers);
  const experimentPath = (name: string) => vscode.Uri.file(join(experimentFolder(answers.dataRoot!), `${name}${EXPERIMENT_SUFFIX}`));
  for (;;) {
    const ctx: StepContext = {
      frame: { title: TITLE, position: navigator.position(answers), canGoBack: navigator.canGoBack },
      answers, supervisor, defaultBase, experimentPath,
    };
    const outcome = await STEPS[navigator.current](ctx);
    if (outcome === 'cancel') return undefined;
    if (outcome === 'back') navigator.back();
    else if (outcome === 'next' && !navigator.next(answers)) return answers;
  }
}

/** `dataset`: the folder or text file the command was run on, if any (the wizard then starts after the dataset step). */
export async function newExperiment(supervisor: HostSupervisor, log: vscode.LogOutputChannel, dataset?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const start: WizardAnswers = {};
  if (dataset) chooseDataset(start, dataset.fsPath, await datasetKind(dataset.fsPath));
  const answers = await ask(supervisor, start);
  if (!answers) return undefined;
  const file = vscode.Uri.file(join(experimentFolder(answers.dataRoot!), `${answers.name}${EXPERIMENT_SUFFIX}`));
  try {
    const draft = buildExperiment(answers, file.fsPath);
    await validateExperimentValue(draft, file.fsPath);
    await vscode.workspace.fs.writeFile(file, Buffer.from(`${JSON.stringify(draft, null, 2)}\n`));
  } catch (error) {
    await reportError(log, `Could not create ${vscode.workspace.asRelativePath(file)}`, error, file);
    return undefined;
  }
  log.info(`created ${file.fsPath}`);
  await vscode.window.showTextDocument(file);
  void vscode.window.showInformationMessage(`Created ${vscode.workspace.asRelativePath(file)}.`, 'Train', 'Show Layers').then((choice) => {
    if (choice === 'Train') void vscode.commands.executeCommand('transferLab.train', file);
    if (choice === 'Show Layers') void vscode.commands.executeCommand('transferLab.showLayers', file);
  });
  return file;
}
