// Refusals that show the way forward: each names what is missing and offers, as buttons, the commands that make it.
import * as vscode from 'vscode';

export interface NextStep {
  title: string;
  command: string;
  args?: unknown[];
}

export const NEW_EXPERIMENT: NextStep = { title: 'New Experiment', command: 'transferLab.newExperiment' };
export const CREATE_SAMPLE: NextStep = { title: 'Create Sample Experiment', command: 'transferLab.createSample' };
export const trainStep = (experiment: vscode.Uri): NextStep => ({ title: 'Train', command: 'transferLab.train', args: [experiment] });

/** Shows `message` with one button per step and runs the step the user picks. */
export async function offerNextSteps(message: string, steps: readonly NextStep[]): Promise<void> {
  const choice = await vscode.window.showInformationMessage(`Transfer Lab: ${message}`, ...steps.map((s) => s.title));
  const step = steps.find((s) => s.title === choice);
  if (step) await vscode.commands.executeCommand(step.command, ...(step.args ?? []));
}

/**
 * The experiment a command without one should use: the only one in the workspace, or the one the user picks;
 * with none yet, says so and offers to create one.
 */
export async function chooseExperiment(experiments: readonly vscode.Uri[], purpose: string): Promise<vscode.Uri | undefined> {
  if (experiments.length === 0) {
    await offerNextSteps(`${purpose} needs an experiment, and this workspace has none yet.`, [NEW_EXPERIMENT, CREATE_SAMPLE]);
    return undefined;
  }
  if (experiments.length === 1) return experiments[0];
  const picked = await vscode.window.showQuickPick(
    experiments.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: purpose, placeHolder: 'Which experiment?' },
  );
  return picked?.uri;
}
