// Runs the bundled `transfer-lab` CLI as a child process, for work that needs native modules (sharp, h5wasm) that
// must stay out of the editor's process.
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';

export function runCli(context: vscode.ExtensionContext, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    // the editor's own runtime runs the CLI; ELECTRON_RUN_AS_NODE makes desktop VS Code's binary behave as node
    execFile(process.execPath, [context.asAbsolutePath('dist/cli.js'), ...args], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }, (error, stdout, stderr) =>
      error ? reject(new Error(stderr.trim() || error.message)) : resolve(stdout),
    );
  });
}
