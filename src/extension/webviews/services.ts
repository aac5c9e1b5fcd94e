// What the webviews need from the rest of the extension; the extension's wiring implements it.
import type * as vscode from 'vscode';
import type { AnyExperiment, TrainableSpec } from '../../protocol/experiment';
import type { BatchMetrics, DoctorReport, EpochMetrics, HeatmapsResult, InspectModelResult, RunStateMessage } from '../../protocol/host';

export type RunEvent = { kind: 'batch'; data: BatchMetrics } | { kind: 'epoch'; data: EpochMetrics } | { kind: 'state'; data: RunStateMessage };

export interface WebviewServices {
  /** The experiment as the editor has it, saved or not. */
  readExperiment(experiment: vscode.Uri): Promise<AnyExperiment>;
  /** Its base model's layers, from the host; the caller decides whether Restricted Mode allows it. */
  inspectModel(experiment: vscode.Uri, parsed: AnyExperiment): Promise<InspectModelResult>;
  setTrainable(experiment: vscode.Uri, phaseIndex: number, spec: TrainableSpec): Promise<void>; // undoable WorkspaceEdit, saved at once unless an editor shows the file
  readonly onDidChangeExperiment: vscode.Event<vscode.Uri>;
  activeExperiment(): vscode.Uri | undefined;
  /** Every experiment file in the workspace, as the Experiments view last read them. */
  experiments(): Promise<vscode.Uri[]>;
  readonly onDidChangeActiveExperiment: vscode.Event<vscode.Uri | undefined>;
  readonly onRunEvent: vscode.Event<RunEvent>;
  listRuns(experiment: vscode.Uri): Promise<string[]>; // newest first
  isTrusted(): boolean;
  readonly onDidGrantTrust: vscode.Event<void>;
  /** Image path → small JPEG data: URI (made in the training host, where sharp lives); unreadable images are left out. */
  thumbnails(paths: readonly string[]): Promise<Map<string, string>>;
  /** Class-activation heatmaps of a run's images (each image's predicted class), made in the training host. */
  heatmaps(runDir: string, paths: readonly string[]): Promise<HeatmapsResult>;
  /** The data doctor on a run's experiment snapshot from cached features only (no base pass; rejects when any are missing). */
  checkRunData(runDir: string): Promise<DoctorReport>;
}
