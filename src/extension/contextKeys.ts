// Context keys that `when` clauses in package.json test; set only through here so their names stay in step.
import * as vscode from 'vscode';
import { WALKTHROUGH_ID, WALKTHROUGH_STEP_OF_KEY } from './walkthroughSteps';

// layersShown and dashboardOpened complete walkthrough steps: set only when the command did what it says
export type ContextKey = 'transferLab.training' | keyof typeof WALKTHROUGH_STEP_OF_KEY;

const ticked = new Set<string>();

export function setContextKey(key: ContextKey, value: boolean): void {
  void vscode.commands.executeCommand('setContext', key, value);
  const step = (WALKTHROUGH_STEP_OF_KEY as Partial<Record<ContextKey, string>>)[key];
  if (value && step && !ticked.has(step)) tickWalkthroughStep(step);
}

/**
 * VS Code starts its walkthrough service lazily and never ticks an onContext step whose key was already true when it
 * started (it counts the event as seen): a walkthrough opened after the action would show it undone. So say it too.
 */
function tickWalkthroughStep(step: string): void {
  ticked.add(step);
  vscode.commands.executeCommand('welcome.markStepComplete', `${WALKTHROUGH_ID}#${step}`).then(undefined, () => ticked.delete(step));
}
