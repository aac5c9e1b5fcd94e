// How a prediction reads in a QuickPick: the top classes with confidence. No vscode import: unit-tested.
import { basename } from 'node:path';
import type { Prediction } from '../../protocol/host';

export interface PredictionItem {
  label: string;
  description: string;
  detail?: string;
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** A bar of ten cells, so confidences compare at a glance. */
export function confidenceBar(confidence: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, confidence)) * 10);
  return '█'.repeat(filled) + '░'.repeat(10 - filled);
}

/** One image: a line per class. Several: a line per image with its top classes. */
export function predictionItems(predictions: readonly Prediction[]): PredictionItem[] {
  if (predictions.length === 1 && predictions[0].top) {
    return predictions[0].top.map((t) => ({ label: t.label, description: `${confidenceBar(t.confidence)} ${percent(t.confidence)}` }));
  }
  return predictions.map((p) =>
    p.top
      ? { label: basename(p.path), description: p.top.map((t) => `${t.label} ${percent(t.confidence)}`).join(' · '), detail: p.path }
      : { label: `$(warning) ${basename(p.path)}`, description: `skipped: ${p.error ?? 'unreadable'}`, detail: p.path },
  );
}
