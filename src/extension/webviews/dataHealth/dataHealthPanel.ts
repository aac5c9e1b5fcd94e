// The Data Health panel: the data doctor's findings with thumbnails, and per row Move to the suggested class (a
// WorkspaceEdit rename; the row's Undo Move renames it back), Exclude (data.exclude of the experiment), Keep (remembered in
// workspaceState, per checked dataset) and Open image. Not restored after a window reload: Check Dataset again.
import * as vscode from 'vscode';
import { basename, dirname, resolve } from 'node:path';
import type { DoctorReport } from '../../../protocol/host';
import { fromDataHealthWebview, type FromDataHealthWebview, type RowOutcome, type ToDataHealthWebview } from '../../../protocol/webview';
import { applyExperimentEdits } from '../../edits/applyEdits';
import { excludeEdits } from '../../edits/excludeEdit';
import { loadBundle, WebviewChannel } from '../channel';
import { excludeEntry, healthReportView, keepKey, moveTarget, reportFiles } from './healthView';

export const DATA_HEALTH_PANEL_TYPE = 'transferLab.dataHealth';
const KEPT_STATE = 'transferLab.dataHealth.kept';

export interface DataHealthTarget {
  /** The experiment file or data folder the doctor checked. */
  checked: string;
  /** Where Exclude records files; absent for a bare data folder. */
  experiment?: vscode.Uri;
}

/** The folders the panel may read images from: each finding's split (or dataset) folder, which Move stays inside. */
function imageRoots(report: DoctorReport): vscode.Uri[] {
  return [...new Set([...reportFiles(report)].map((f) => dirname(dirname(resolve(f)))))].map((folder) => vscode.Uri.file(folder));
}

export function showDataHealthPanel(context: vscode.ExtensionContext, target: DataHealthTarget, report: DoctorReport): void {
  const title = `Data Health: ${basename(target.checked)}`;
  const panel = vscode.window.createWebviewPanel(DATA_HEALTH_PANEL_TYPE, title, vscode.ViewColumn.Active);
  loadBundle(panel.webview, context.extensionUri, 'dataHealth', title, imageRoots(report));
  const keptByTarget = () => context.workspaceState.get<Record<string, string[]>>(KEPT_STATE, {});
  const known = reportFiles(report);
  /** Files moved by this panel, to where: Open shows them there, Undo moves them back. */
  const moved = new Map<string, string>();
  const outcome = (o: RowOutcome) => channel.post({ type: 'health/outcome', ...o });
  const imageUri = (file: string) => panel.webview.asWebviewUri(vscode.Uri.file(moved.get(file) ?? file)).toString();
  const rename = async (from: string, to: string) => {
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(vscode.Uri.file(from), vscode.Uri.file(to), { overwrite: false });
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`${from} could not be moved to ${to}: is there a file of that name already? Rename one of them, then try again`);
  };

  const restored = (file: string): void => {
    if (moved.delete(file)) outcome({ file, outcome: 'restored', detail: `Back in ${basename(dirname(file))}/`, image: imageUri(file) });
  };
  // a rename back from elsewhere (the Explorer, a terminal's mv is not seen) also turns the row back
  const renames = vscode.workspace.onDidRenameFiles((event) => {
    for (const { oldUri, newUri } of event.files) if (moved.get(newUri.fsPath) === oldUri.fsPath) restored(newUri.fsPath);
  });

  const handle = async (message: FromDataHealthWebview): Promise<void> => {
    if (message.type === 'ready') {
      const kept = new Set(keptByTarget()[target.checked] ?? []);
      const excludeDisabled = target.experiment ? undefined : `${basename(target.checked)} is a folder without an experiment: Exclude records files in an experiment's data.exclude — check the experiment instead`;
      channel.post({ type: 'health/show', report: healthReportView(report, { target: target.checked, kept, imageUri, excludeDisabled }) });
      return;
    }
    const { file } = message;
    if (!known.has(file)) return; // the panel acts only on files the doctor reported
    switch (message.type) {
      case 'health/open':
        return void (await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(moved.get(file) ?? file)));
      case 'health/move': {
        const issue = report.labelIssues.find((r) => r.file === file);
        if (!issue || moved.has(file)) return;
        const to = moveTarget(file, issue.given, issue.suggested);
        await rename(file, to);
        moved.set(file, to);
        return outcome({ file, outcome: 'moved', detail: `Moved to ${issue.suggested}/ — Undo Move puts it back`, image: imageUri(file) });
      }
      case 'health/undoMove': {
        const to = moved.get(file);
        if (!to) return;
        await rename(to, file);
        return restored(file);
      }
      case 'health/exclude': {
        if (!target.experiment) return;
        const entry = excludeEntry(target.experiment.fsPath, file);
        await applyExperimentEdits(target.experiment, (text) => excludeEdits(text, entry));
        return outcome({ file, outcome: 'excluded', detail: `Listed in ${basename(target.experiment.fsPath)}'s data.exclude as ${entry}` });
      }
      case 'health/keep': {
        const all = keptByTarget();
        await context.workspaceState.update(KEPT_STATE, { ...all, [target.checked]: [...new Set([...(all[target.checked] ?? []), keepKey(report, message.section, file)])] });
        return outcome({ file, outcome: 'kept', detail: 'Kept: not shown again for this dataset', section: message.section });
      }
    }
  };
  const channel = new WebviewChannel<FromDataHealthWebview, ToDataHealthWebview>(panel.webview, fromDataHealthWebview, handle, 'dataHealth');
  panel.onDidDispose(() => (channel.dispose(), renames.dispose()));
}
