// Applies text edits of an experiment file as one WorkspaceEdit: undoable in an open editor, saved when unseen.
import * as vscode from 'vscode';
import type { Edit } from './trainableEdit';

function isInAnEditorTab(uri: vscode.Uri): boolean {
  return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString()));
}

/** `edits` computes the edits from the file's current text (the editor's, saved or not). */
export async function applyExperimentEdits(uri: vscode.Uri, edits: (text: string) => Edit[]): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits(document.getText())) edit.replace(uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`${uri.fsPath}: the editor refused the change (is the file read-only?)`);
  // in an open editor the change is an edit like typing (dirty dot, Ctrl+Z; Train saves first); unseen, it must not stay dirty
  if (!isInAnEditorTab(uri) && !(await document.save())) throw new Error(`${uri.fsPath}: the change could not be saved`);
}
