// Commands are invoked from the palette (no argument), explorer menus (a Uri), the Experiments view (a tree node)
// and the status bar or other commands (a run folder path); these turn any of them into the subject.
import * as vscode from 'vscode';
import type { ExperimentsNode } from '../experiments/experimentsTree';

export function experimentArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const node = arg as ExperimentsNode | undefined;
  if (node?.kind === 'experiment') return node.uri;
  if (node?.kind === 'run') return node.experiment;
  return undefined;
}

export function runArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const node = arg as ExperimentsNode | undefined;
  return node?.kind === 'run' ? node.runDir : undefined;
}
