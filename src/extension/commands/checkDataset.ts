// "Check Dataset": the host's data doctor on an experiment's data or a data folder (palette, a folder's Explorer menu,
// a run's dashboard), with progress and Cancel, then the Data Health panel.
import * as vscode from 'vscode';
import { basename, join } from 'node:path';
import { Requests } from '../../protocol/host';
import { EXPERIMENT_FILE } from '../../shared/runLayout';
import { activeEditorExperiment } from '../experiments/pickers';
import { reportError } from '../notify';
import { readSettings } from '../settings';
import { refuseUntrusted, TRUST_REASONS } from '../trust';
import { showDataHealthPanel, type DataHealthTarget } from '../webviews/dataHealth/dataHealthPanel';
import { withHostProgress } from './hostProgress';
import type { CommandDeps } from './register';
import { experimentArg } from './subjects';

const isExperimentFile = (uri: vscode.Uri) => uri.fsPath.endsWith('.experiment.json');

/** A run folder (the dashboard's button) is checked through its experiment, else through the run's own snapshot. */
async function runTarget(deps: CommandDeps, runDir: string): Promise<DataHealthTarget> {
  const experiment = (await deps.tree.all()).find((e) => e.runs.includes(runDir))?.uri;
  return experiment ? { checked: experiment.fsPath, experiment } : { checked: join(runDir, EXPERIMENT_FILE) };
}

async function pickTarget(deps: CommandDeps): Promise<DataHealthTarget | undefined> {
  const folder = { label: '$(folder) A data folder…', detail: 'One sub-folder per class, or train/ val/ test/ folders of them' };
  const experiments = (await deps.tree.all()).map((e) => ({ label: basename(e.uri.fsPath), description: vscode.workspace.asRelativePath(e.uri), uri: e.uri }));
  const picked = await vscode.window.showQuickPick([...experiments, folder], { placeHolder: 'Check which dataset? (an experiment\'s data, as its runs split it, or a folder)' });
  if (!picked) return undefined;
  if ('uri' in picked) return { checked: picked.uri.fsPath, experiment: picked.uri };
  const [chosen] = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Check This Folder' })) ?? [];
  return chosen && { checked: chosen.fsPath };
}

async function chooseTarget(deps: CommandDeps, arg: unknown): Promise<DataHealthTarget | undefined> {
  if (typeof arg === 'string') return runTarget(deps, arg);
  const uri = experimentArg(arg);
  if (uri) return isExperimentFile(uri) ? { checked: uri.fsPath, experiment: uri } : { checked: uri.fsPath };
  const active = activeEditorExperiment();
  return active ? { checked: active.fsPath, experiment: active } : pickTarget(deps);
}

export async function checkDataset(deps: CommandDeps, arg: unknown): Promise<void> {
  if (refuseUntrusted('Check Dataset', TRUST_REASONS.train)) return;
  const target = await chooseTarget(deps, arg);
  if (!target) return;
  if (target.experiment) await vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.experiment!.toString())?.save();
  let cancelled = false;
  try {
    const report = await withHostProgress(deps.supervisor, `Checking ${basename(target.checked)}`, (token) => {
      token.onCancellationRequested(() => (cancelled = true));
      return deps.supervisor.call((c) => c.sendRequest(Requests.doctor, { target: target.checked, cacheDir: readSettings().cacheFolder }));
    });
    deps.log.info(`doctor ${target.checked}: ${report.labelIssues.length} label issues, ${report.duplicates.filter((g) => g.leakage).length} leaked groups, ${report.computed} images through the base, ${report.seconds.toFixed(1)} s`);
    showDataHealthPanel(deps.context, target, report);
  } catch (error) {
    if (cancelled) return void deps.log.info(`doctor ${target.checked}: cancelled`);
    await reportError(deps.log, `Checking ${basename(target.checked)} failed`, error);
  }
}
