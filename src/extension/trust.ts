// Restricted Mode: browsing is fine; anything that runs models or downloads named by workspace files needs trust.
import * as vscode from 'vscode';

/** True (after explaining why) when the workspace is not trusted, so the caller stops. */
export function refuseUntrusted(action: string, reason: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  const manage = 'Manage Workspace Trust';
  void vscode.window
    .showWarningMessage(`${action} is not available in Restricted Mode: ${reason}. Trust this workspace to allow it.`, manage)
    .then((choice) => choice === manage && vscode.commands.executeCommand('workbench.trust.manage'));
  return true;
}

export const TRUST_REASONS = {
  train: 'training reads the data and loads the base model named by the experiment file, and may download weights',
  runModel: "it loads the run's model files from this workspace",
} as const;
