// Trains an experiment (or resumes a run) in the training host with a cancellable progress notification and the
// status bar; Cancel and "Stop Training" ask the host to stop after the current batch, which keeps the run as "cancelled".
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { HostCrashedError } from '../../host/client';
import { Requests, type TrainResult } from '../../protocol/host';
import { phaseEndings, readMetrics, runLockRefusal } from '../../engine/runs';
import { EXPERIMENT_FILE } from '../../shared/runLayout';
import { phaseEndingText } from '../../shared/format';
import { setContextKey } from '../contextKeys';
import { parseExperimentText, phasePlan } from '../experiments/experimentText';
import type { HostSupervisor } from '../host/supervisor';
import { errorText, reportError } from '../notify';
import { readSettings } from '../settings';
import { refuseUntrusted, TRUST_REASONS } from '../trust';
import { Coalesced } from '../util/coalesce';
import { RunProgress } from './runProgress';
import type { TrainingStatusBar } from './statusBar';

const PROGRESS_REFRESH_MS = 200;

export interface TrainRequest {
  experiment: vscode.Uri;
  /** Continue this run from its last good checkpoint. */
  resumeRunDir?: string;
}

export class TrainingController {
  private current: RunProgress | undefined;

  constructor(
    private readonly supervisor: HostSupervisor,
    private readonly statusBar: TrainingStatusBar,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get isTraining(): boolean {
    return this.current !== undefined;
  }

  async train(request: TrainRequest): Promise<TrainResult | undefined> {
    if (refuseUntrusted(request.resumeRunDir ? 'Resuming a run' : 'Training', TRUST_REASONS.train)) return undefined;
    if (this.current) {
      const stop = 'Stop Training';
      if ((await vscode.window.showWarningMessage(`Already training ${this.current.experimentName}; one run at a time.`, stop)) === stop) await this.stop();
      return undefined;
    }
    const progress = await this.prepare(request);
    if (!progress) return undefined;
    this.current = progress;
    setContextKey('transferLab.training', true);
    this.statusBar.show(progress);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Training ${progress.experimentName}`, cancellable: true },
        (notification, token) => this.run(request, progress, notification, token),
      );
      progress.runState({ runDir: result.runDir, state: result.state, message: result.message });
      void this.announce(result, request.experiment);
      return result;
    } catch (error) {
      // a crash is reported once, by the supervisor's crash handler, with Resume
      if (error instanceof HostCrashedError) progress.runState({ runDir: progress.runDir ?? '', state: 'crashed' });
      else {
        progress.runState({ runDir: progress.runDir ?? '', state: 'failed', message: errorText(error) });
        void reportError(this.log, `Training ${basename(request.experiment.fsPath)} failed`, error, request.experiment);
      }
      return undefined;
    } finally {
      this.current = undefined;
      setContextKey('transferLab.training', false);
      this.statusBar.show(progress);
    }
  }

  async stop(): Promise<void> {
    if (!this.current) {
      void vscode.window.showInformationMessage('Transfer Lab: nothing is training.');
      return;
    }
    this.log.info(`stopping ${this.current.experimentName} after the current batch`);
    await this.supervisor.call((c) => c.sendRequest(Requests.stop)).catch((error) => this.log.warn(`stop: ${errorText(error)}`));
  }

  /** Saves the experiment and reads its phases (from the run's snapshot when resuming); undefined after telling the user why not. */
  private async prepare(request: TrainRequest): Promise<RunProgress | undefined> {
    const file = request.resumeRunDir ? vscode.Uri.file(join(request.resumeRunDir, EXPERIMENT_FILE)) : request.experiment;
    // another window or a terminal may be training this run: its host would refuse too, after loading everything
    const busy = request.resumeRunDir && (await runLockRefusal(request.resumeRunDir));
    if (busy) {
      void vscode.window.showWarningMessage(`Transfer Lab: ${busy}`);
      return undefined;
    }
    try {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
      if (open?.isDirty) await open.save();
      const text = open?.getText() ?? (await readFile(file.fsPath, 'utf8'));
      const experiment = await parseExperimentText(text, file.fsPath);
      const progress = new RunProgress(experiment.name, phasePlan(experiment), experiment.data.kind === 'text' ? 'texts' : 'images');
      progress.runDir = request.resumeRunDir;
      return progress;
    } catch (error) {
      await reportError(this.log, `Cannot train ${basename(request.experiment.fsPath)}`, error, file);
      return undefined;
    }
  }

  private async run(request: TrainRequest, progress: RunProgress, notification: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken): Promise<TrainResult> {
    // a small dataset trains dozens of batches a second: the toast and status bar show the latest a few times a second
    let increment = 0;
    const shown = new Coalesced(PROGRESS_REFRESH_MS, () => {
      notification.report({ message: progress.detail, increment: increment || undefined });
      increment = 0;
      this.statusBar.show(progress);
    });
    const update = (more = 0) => {
      increment += more;
      shown.request();
    };
    const subscriptions = [
      shown,
      token.onCancellationRequested(() => void this.stop()),
      this.supervisor.onRunState((m) => (progress.runState(m), update())),
      this.supervisor.onProgress((m) => (progress.stage(m), update())),
      this.supervisor.onBatch((m) => (progress.batchDone(m), update())),
      this.supervisor.onEpoch((m) => update(progress.epochDone(m))),
    ];
    update();
    try {
      const settings = readSettings();
      this.supervisor.trackRun(request.resumeRunDir);
      this.log.info(request.resumeRunDir ? `resuming ${request.resumeRunDir}` : `training ${request.experiment.fsPath}`);
      return await this.supervisor.call((c) => c.sendRequest(Requests.train, {
        experimentFile: request.experiment.fsPath, resumeRunDir: request.resumeRunDir, cacheDir: settings.cacheFolder,
      }));
    } finally {
      subscriptions.forEach((s) => s.dispose());
    }
  }

  private async announce(result: TrainResult, experiment: vscode.Uri): Promise<void> {
    const name = basename(result.runDir);
    this.log.info(`run ${result.state}: ${result.runDir}${result.message ? ` — ${result.message}` : ''}`);
    if (result.state === 'completed') {
      const accuracy = Number.isFinite(result.valAccuracy) ? ` — validation accuracy ${(result.valAccuracy * 100).toFixed(1)}%` : '';
      const endings = phaseEndings(await readMetrics(result.runDir).catch(() => [])).map((e) => `${e.phase} ${phaseEndingText(e)}`);
      const early = endings.length > 0 ? ` (${endings.join('; ')})` : '';
      const choice = await vscode.window.showInformationMessage(`Run ${name} completed${accuracy}${early}.`, 'Open Dashboard', 'Predict…');
      if (choice === 'Open Dashboard') await vscode.commands.executeCommand('transferLab.openDashboard', result.runDir);
      if (choice === 'Predict…') await vscode.commands.executeCommand('transferLab.predict', undefined, result.runDir);
    } else if (result.state === 'cancelled') {
      const choice = await vscode.window.showInformationMessage(`Run ${name} stopped and kept as "cancelled".`, 'Resume');
      if (choice === 'Resume') await vscode.commands.executeCommand('transferLab.resume', result.runDir);
    } else {
      const choice = await vscode.window.showWarningMessage(`Run ${name} ${result.state}: ${result.message ?? 'see the log'} (${experiment.fsPath})`, 'Show Log');
      if (choice === 'Show Log') this.log.show(true);
    }
  }
}
