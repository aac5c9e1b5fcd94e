// A run's metrics as CSV: one row per batch and per epoch, in training order. No vscode import.
import type { RunSnapshot } from '../../../protocol/webview';

// validation metrics under Keras' names, as in metrics.jsonl (a CSVLogger file's columns)
const COLUMNS = ['type', 'phase', 'phaseIndex', 'epoch', 'batch', 'batches', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'learningRate', 'imagesPerSecond', 'seconds'] as const;
type Row = Partial<Record<(typeof COLUMNS)[number], string | number | null>>;

/** Quotes when needed; text that a spreadsheet would run as a formula gets a leading apostrophe. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function metricsCsv(snapshot: RunSnapshot): string {
  const phase = (i: number) => snapshot.header.phases[i]?.name ?? `phase ${i + 1}`;
  const rows: (Row & { order: number[] })[] = [
    ...snapshot.batches.map((b) => ({ ...b, type: 'batch', phase: phase(b.phaseIndex), order: [b.phaseIndex, b.epoch, 0, b.batch] })),
    ...snapshot.epochs.map(({ valLoss, valAccuracy, ...e }) => ({ ...e, val_loss: valLoss, val_accuracy: valAccuracy, type: 'epoch', phase: phase(e.phaseIndex), order: [e.phaseIndex, e.epoch, 1, 0] })),
  ];
  rows.sort((a, b) => a.order.map((v, i) => v - b.order[i]).find((d) => d !== 0) ?? 0);
  return [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}
