// The bench's result: one row per figure, printed as a table and written as JSON; a missed target fails the run.
import Table from 'cli-table3';

export interface Target {
  /** The ratio must be at least (≥) or at most (≤) `value`. */
  op: '>=' | '<=';
  value: number;
}

export interface Figure {
  id: string;
  label: string;
  value: number;
  unit: string;
  baseline?: { label: string; value: number; unit: string };
  /** speedup: baseline ÷ measured; ratio: measured ÷ baseline; value: the measurement itself is held to the target. */
  kind: 'speedup' | 'ratio' | 'value';
  ratio?: number;
  target?: Target;
  met?: boolean;
  note?: string;
}

export interface Skipped {
  id: string;
  label: string;
  reason: string;
}

export function figure(f: Omit<Figure, 'ratio' | 'met'>): Figure {
  const ratio = f.kind === 'value' ? f.value : !f.baseline ? undefined : f.kind === 'speedup' ? f.baseline.value / f.value : f.value / f.baseline.value;
  const met = f.target && ratio !== undefined ? (f.target.op === '>=' ? ratio >= f.target.value : ratio <= f.target.value) : undefined;
  return { ...f, ratio, met };
}

const format = (value: number, unit: string) => `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${unit}`;

/** The table, then each figure's note as a numbered footnote (notes are long; the table stays readable). */
export function table(figures: Figure[], skipped: Skipped[]): string {
  const t = new Table({ head: ['figure', 'measured', 'baseline (same run)', 'ratio', 'target', ''], style: { head: [], border: [] } });
  const notes: string[] = [];
  for (const f of figures) {
    if (f.note) notes.push(`[${notes.length + 1}] ${f.note}`);
    t.push([
      f.note ? `${f.label} [${notes.length}]` : f.label,
      format(f.value, f.unit),
      f.baseline ? `${f.baseline.label}: ${format(f.baseline.value, f.baseline.unit)}` : '',
      f.ratio === undefined || f.kind === 'value' ? '' : `${f.ratio.toFixed(2)}×${f.kind === 'speedup' ? ' faster' : ''}`,
      f.target ? `${f.target.op === '>=' ? '≥' : '≤'} ${f.target.value}${f.kind === 'value' ? ` ${f.unit}` : '×'}` : '',
      f.met === undefined ? '' : f.met ? 'ok' : 'MISS',
    ]);
  }
  for (const s of skipped) t.push([s.label, 'skipped', s.reason, '', '', '']);
  return [t.toString(), ...notes].join('\n');
}
