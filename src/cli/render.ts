// Human-readable tables for the terminal: confusion matrix, per-class metrics, layers.
import Table from 'cli-table3';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvaluationReport, ExportResult, InspectModelResult, ScanDatasetResult } from '../protocol/host';
import { EVALUATION_FILE } from '../shared/runLayout';

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
  return `${result.root} (${result.layout}): ${result.classes.length} classes\n${table.toString()}${problems ? `\nproblems:\n${problems}` : ''}`;
}

/** The evaluation a completed run wrote: validation, and test when the data had a test split. */
export async function readEvaluation(runDir: string): Promise<{ val: EvaluationReport; test?: EvaluationReport }> {
  return JSON.parse(await readFile(join(runDir, EVALUATION_FILE), 'utf8'));
}

/** What an export wrote and how Python loads it. */
export function exportText(result: ExportResult): string {
  const tfjsCopy = result.tfjsModel && result.format !== 'tfjs' ? `tfjs Layers model: ${result.tfjsModel}\n` : '';
  const needs = result.format === 'hf' ? '' : ', with Pillow and NumPy';
  return `${result.title}, ${result.params.toLocaleString('en-US')} weights: ${result.file}\n${tfjsCopy}\nLoad it in Python (${result.loader}${needs}):\n\n${result.python}`;
}
