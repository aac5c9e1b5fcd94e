// How the extension tells the user something failed: the message names the file, the log keeps the details.
import * as vscode from 'vscode';
import { basename } from 'node:path';

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Shows "<what>: <why>" with "Show Log" (and "Open File" when a file is involved). */
export async function reportError(log: vscode.LogOutputChannel, what: string, error: unknown, file?: vscode.Uri): Promise<void> {
  const message = `${what}: ${errorText(error)}`;
  log.error(message);
  const actions = file ? [`Open ${basename(file.fsPath)}`, 'Show Log'] : ['Show Log'];
  const choice = await vscode.window.showErrorMessage(message, ...actions);
  if (choice === 'Show Log') log.show(true);
  else if (choice && file) await vscode.window.showTextDocument(file);
}
