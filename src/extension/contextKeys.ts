// Context keys that `when` clauses in package.json test; set only through here so their names stay in step.
import * as vscode from 'vscode';

// layersShown and dashboardOpened complete walkthrough steps: set only when the command did what it says
export type ContextKey = 'transferLab.training' | 'transferLab.hasExperiments' | 'transferLab.hasRuns' | 'transferLab.layersShown' | 'transferLab.dashboardOpened';

export function setContextKey(key: ContextKey, value: boolean): void {
  void vscode.commands.executeCommand('setContext', key, value);
}
