// Tells the user, once, that the training host died: which run is now "crashed", the last lines it printed, and Resume.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { HostCrash } from './supervisor';

export async function showCrash(crash: HostCrash, log: vscode.LogOutputChannel): Promise<void> {
  log.error(crash.error.message);
  const run = crash.runDir ? ` Run ${basename(crash.runDir)} is marked "crashed"; resume it from its last checkpoint.` : '';
  const how = crash.error.signal ? `was killed (${crash.error.signal})` : `exited with code ${crash.error.exitCode}`;
  const actions = crash.runDir ? ['Resume', 'Show Log'] : ['Show Log'];
  const choice = await vscode.window.showErrorMessage(`The Transfer Lab training host ${how}.${run} A new host starts when you next train, evaluate or predict.`, ...actions);
  if (choice === 'Resume') await vscode.commands.executeCommand('transferLab.resume', crash.runDir);
  if (choice === 'Show Log') log.show(true);
}
