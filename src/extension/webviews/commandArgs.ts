// Command arguments as callers pass them: a Uri or path, or a tree node (menus pass the clicked element).
import * as vscode from 'vscode';

type Node = { uri?: unknown; experiment?: unknown; runDir?: unknown };

/** An experiment file: a Uri, or an Experiments-view node (an experiment's `uri`, a run's `experiment`). */
export function experimentArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const node = (typeof arg === 'object' && arg !== null ? arg : {}) as Node;
  return [node.uri, node.experiment].find((u): u is vscode.Uri => u instanceof vscode.Uri);
}

/** A run folder: a path, a Uri, or a run node's `runDir`. */
export function runDirArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const runDir = (typeof arg === 'object' && arg !== null ? (arg as Node).runDir : undefined);
  return typeof runDir === 'string' ? runDir : undefined;
}
