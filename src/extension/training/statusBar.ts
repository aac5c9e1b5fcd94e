// The status bar item of the current (or last) run: phase, epoch, batch, accuracy; a click opens its dashboard.
import * as vscode from 'vscode';
import { isErrorState } from '../../shared/runStates';
import type { RunProgress } from './runProgress';

export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('transferLab.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Transfer Lab Training';
  }

  show(progress: RunProgress): void {
    this.item.text = progress.statusText;
    this.item.tooltip = `Transfer Lab — ${progress.experimentName}: ${progress.detail}\nClick to open the dashboard`;
    this.item.command = { title: 'Open Dashboard', command: 'transferLab.openDashboard', arguments: progress.runDir ? [progress.runDir] : [] };
    this.item.backgroundColor = isErrorState(progress.state) ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
