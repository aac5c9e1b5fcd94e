// Human-readable tables for the terminal: confusion matrix, per-class metrics, layers.
import Table from 'cli-table3';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvaluationReport, ExportResult, InspectModelResult, PhaseSummary, Prediction, ScanDatasetResult, TrainResult } from '../protocol/host';
import { EVALUATION_FILE } from '../shared/runLayout';
import { loaderSections } from '../shared/loaderSections';

// eslint-disable-next-line no-control-regex -- matching control characters is the point: they must not reach the terminal
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A file or class name as one safe terminal line: a newline or escape sequence in a name cannot fake or clear output. */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `path: label 97.0%, …` for an image prediction, or why the image was skipped. */
export function imagePredictionLine(p: Prediction): string {
  return p.error ? `${printable(p.path)}: skipped (${p.error})` : `${printable(p.path)}: ${p.top!.map((t) => `${printable(t.label)} ${percent(t.confidence)}`).join(', ')}`;
}

const percent = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—');

/** Long class names would make the matrix unreadable; columns use short numbered keys and rows say which is which. */
export function confusionTable(report: EvaluationReport): string {
  const table = new Table({ head: ['true \\ predicted', ...report.classes.map((_, i) => `#${i}`)], style: { head: [], border: [] } });
  report.confusionMatrix.forEach((row, i) => table.push([`#${i} ${report.classes[i]}`, ...row.map(String)]));
  return table.toString();
}

export function perClassTable(report: EvaluationReport): string {
  const table = new Table({ head: ['class', 'precision', 'recall', 'F1', 'support'], style: { head: [], border: [] } });
  for (const row of report.perClass) table.push([row.name, percent(row.precision), percent(row.recall), percent(row.f1), row.support]);
  table.push(['macro average', percent(report.macro.precision), percent(report.macro.recall), percent(report.macro.f1), report.count]);
  return table.toString();
}

export function evaluationText(report: EvaluationReport): string {
  const skipped = report.skipped.length ? `\n${report.skipped.length} images skipped: ${report.skipped.slice(0, 5).map((s) => `${s.path} (${s.reason})`).join('; ')}` : '';
  return `${report.split} accuracy ${percent(report.accuracy)} on ${report.count} images\n${confusionTable(report)}\n${perClassTable(report)}${skipped}`;
}

type RunEvaluation = { val: EvaluationReport; test?: EvaluationReport };

/** Accuracy with the macro averages beside it: on imbalanced classes accuracy alone hides a neglected class. */
function scoreLine(report: EvaluationReport): string {
  return `${report.split}: accuracy ${percent(report.accuracy)}, macro recall ${percent(report.macro.recall)}, macro F1 ${percent(report.macro.f1)}`;
}

/** What `train` prints when the run ends, before the evaluation tables. */
export function trainSummary(result: TrainResult, evaluation: RunEvaluation | undefined): string[] {
  return [
    `\nrun ${result.state}: ${result.runDir}`,
    `engine: ${result.engine.detail}`,
    ...result.phases.map((phase) => `  ${phase.name}: ${phase.epochs} epochs, val accuracy ${percent(phase.valAccuracy)}${phase.stoppedEarly ? ' (stopped early)' : ''}`),
    ...(result.classWeights ? [`class weights: ${result.classWeights.reason}`] : []),
    ...[evaluation?.val, evaluation?.test].filter((r) => r !== undefined).map(scoreLine),
  ];
}

const phaseJson = (p: PhaseSummary) => ({ name: p.name, epochs: p.epochs, val_accuracy: p.valAccuracy, val_loss: p.valLoss, trainable_params: p.trainableParams, stopped_early: p.stoppedEarly });

/** The last stdout line of `train --json`. */
export function trainJson(result: TrainResult, evaluation: RunEvaluation | undefined): Record<string, unknown> {
  return {
    run_dir: result.runDir, state: result.state, engine: result.engine.name, engine_detail: result.engine.detail, val_accuracy: result.valAccuracy,
    val_macro_recall: evaluation?.val.macro.recall, val_macro_f1: evaluation?.val.macro.f1,
    test_accuracy: evaluation?.test?.accuracy, test_macro_recall: evaluation?.test?.macro.recall, test_macro_f1: evaluation?.test?.macro.f1,
    epochs: result.epochs, seconds: result.seconds, phases: result.phases.map(phaseJson), skipped_files: result.skippedFiles, class_weights: result.classWeights,
    ...(result.state === 'diverged' ? { error: result.message ?? 'the run diverged' } : {}),
  };
}

export function layersTable(result: InspectModelResult): string {
  const table = new Table({ head: ['#', 'layer', 'class', 'output', 'params', 'block'], style: { head: [], border: [] } });
  for (const layer of result.layers) table.push([layer.index, layer.name, layer.className, JSON.stringify(layer.outputShape), layer.params, layer.block]);
  const header = `${result.displayName}\n  ${result.origin}\n  input ${result.inputSize}px, features from ${result.featureLayer}, ${result.params.toLocaleString('en-US')} parameters`;
  return `${header}\n${table.toString()}`;
}

export function scanText(result: ScanDatasetResult): string {
  const table = new Table({ head: ['class', 'train', 'val', 'test'], style: { head: [], border: [] } });
  for (const name of result.classes) table.push([name, result.counts[name].train, result.counts[name].val, result.counts[name].test]);
  const problems = result.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
  const balance = result.classBalance ? `\n${result.classBalance.note}` : '';
  return `${result.root} (${result.layout}): ${result.classes.length} classes\n${table.toString()}${balance}${problems ? `\nproblems:\n${problems}` : ''}`;
}

/** The evaluation a completed run wrote: validation, and test when the data had a test split. */
export async function readEvaluation(runDir: string): Promise<RunEvaluation> {
  return JSON.parse(await readFile(join(runDir, EVALUATION_FILE), 'utf8'));
}

/** What an export wrote and how Python loads it. */
export function exportText(result: ExportResult): string {
  if (result.format === 'keras-script' || result.format === 'notebook') return `${result.title}: ${result.file}\n\n${result.python}`;
  const tfjsCopy = result.tfjsModel && result.format !== 'tfjs' ? `tfjs Layers model: ${result.tfjsModel}\n` : '';
  const heading = `${result.title}, ${result.params.toLocaleString('en-US')} weights: ${result.file}\n${tfjsCopy}\n`;
  return heading + loaderSections(result).map((section) => `${section.title}:\n\n${section.code}`).join('\n\n');
}
