// A warning on the base id of an experiment file written before the catalog rename, with a quick fix that writes
// its new name and "version": 2 (src/extension/edits/legacyBaseEdit.ts). The file still loads what it meant.
import * as vscode from 'vscode';
import { renameNote } from '../../shared/catalogRenames';
import { legacyBaseFix } from '../edits/legacyBaseEdit';
import { EXPERIMENT_SUFFIX, isExperimentFile } from './experimentText';

const SOURCE = 'Transfer Lab';

export function registerLegacyBaseDiagnostics(): vscode.Disposable {
  const diagnostics = vscode.languages.createDiagnosticCollection('transferLab.legacyBase');
  const check = (document: vscode.TextDocument) => {
    if (!isExperimentFile(document.uri.path)) return;
    const fix = legacyBaseFix(document.getText());
    if (!fix) return void diagnostics.delete(document.uri);
    const range = new vscode.Range(document.positionAt(fix.offset), document.positionAt(fix.offset + fix.length));
    const diagnostic = new vscode.Diagnostic(range, renameNote(fix.rename), vscode.DiagnosticSeverity.Warning);
    diagnostic.source = SOURCE;
    diagnostics.set(document.uri, [diagnostic]);
  };
  const quickFix: vscode.CodeActionProvider = {
    provideCodeActions(document, _range, context) {
      const fix = legacyBaseFix(document.getText());
      const diagnostic = context.diagnostics.find((d) => d.source === SOURCE);
      if (!fix || !diagnostic) return [];
      const action = new vscode.CodeAction(`Rename base "${fix.rename.from}" to "${fix.rename.to}" and set "version": 2`, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      for (const edit of fix.edits) {
        action.edit.replace(document.uri, new vscode.Range(document.positionAt(edit.offset), document.positionAt(edit.offset + edit.length)), edit.content);
      }
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      return [action];
    },
  };
  vscode.workspace.textDocuments.forEach(check);
  return vscode.Disposable.from(
    diagnostics,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => check(e.document)),
    vscode.workspace.onDidCloseTextDocument((document) => diagnostics.delete(document.uri)),
    vscode.languages.registerCodeActionsProvider({ pattern: `**/*${EXPERIMENT_SUFFIX}` }, quickFix, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  );
}
