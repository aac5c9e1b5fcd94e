// Tells the RunFollower when any run folder in the workspace changes its metrics.jsonl or state.json, so runs this
// window did not start (a `transfer-lab train` in the terminal) show live in the dashboard, status bar and tree.
import * as vscode from 'vscode';
import { METRICS_FILE, RUNS_DIR, STATE_FILE } from '../../shared/runLayout';
import { errorText } from '../notify';
import type { RunFollower } from './runFollower';

/** Every run's live files, in any workspace folder. */
export const RUN_FILES_GLOB = `**/${RUNS_DIR}/*/{${METRICS_FILE},${STATE_FILE}}`;

export function watchRunFiles(follower: RunFollower, log: vscode.LogOutputChannel): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(RUN_FILES_GLOB, false, false, true);
  const changed = (uri: vscode.Uri) => void follower.changed(uri.fsPath).catch((error) => log.warn(`following ${uri.fsPath}: ${errorText(error)}`));
  return vscode.Disposable.from(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed));
}
