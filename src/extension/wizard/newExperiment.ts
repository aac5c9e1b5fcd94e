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
import { buildExperiment, chooseDataset, withDefaults, WizardNavigator, type WizardAnswers } from './wizardModel';
import { Requests, type MachineSpeed } from '../../protocol/host';

const TITLE = 'New Transfer Lab Experiment';
/** The host measures in ≈ 0.1 s once it runs; starting it can take a few seconds. */
const SPEED_TIMEOUT_MS = 15_000;

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

/** The host's speed for time estimates; the wizard does not wait for a host that is busy (training) or slow to start. */
function machineSpeed(supervisor: HostSupervisor): Promise<MachineSpeed | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), SPEED_TIMEOUT_MS)));
  return Promise.race([supervisor.call((c) => c.sendRequest(Requests.machineSpeed)).catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/** Walks the steps until the answers are complete (defaults filled); undefined when the user closes the wizard. */
async function ask(supervisor: HostSupervisor, answers: WizardAnswers): Promise<WizardAnswers | undefined> {
  const navigator = new WizardNavigator();
  const defaultBase = wizardDefaultBase();
  const speed = machineSpeed(supervisor);
  const experimentPath = (name: string) => vscode.Uri.file(join(experimentFolder(answers.dataRoot!), `${name}${EXPERIMENT_SUFFIX}`));
  for (;;) {
    const ctx: StepContext = {
      frame: { title: TITLE, position: navigator.position(answers), canGoBack: navigator.canGoBack },
      answers, supervisor, defaultBase, machineSpeed: speed, experimentPath,
    };
    const outcome = await STEPS[navigator.current](ctx);
    if (outcome === 'cancel') return undefined;
    if (outcome === 'back') navigator.back();
    else if (outcome === 'next' && !navigator.next(answers)) return withDefaults(answers);
  }
}

/** `dataset`: the folder or text file the command was run on, if any (the wizard then asks for no dataset). */
export async function newExperiment(supervisor: HostSupervisor, log: vscode.LogOutputChannel, dataset?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const start: WizardAnswers = {};
  if (dataset) chooseDataset(start, dataset.fsPath, await datasetKind(dataset.fsPath));
  start.datasetGiven = dataset !== undefined;
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
