// `transfer-lab doctor` for people (sections, worst first) and for programs (the --json line).
import type { DoctorReport } from '../protocol/host';
import { printable } from './render';

/** Rows shown per section in the terminal; --json has them all. */
const SHOWN = 10;

function section<T>(title: string, rows: T[], line: (row: T) => string): string[] {
  if (rows.length === 0) return [`${title}: none`];
  const more = rows.length > SHOWN ? [`  … ${rows.length - SHOWN} more (--json lists all)`] : [];
  return [`${title}: ${rows.length}`, ...rows.slice(0, SHOWN).map((row) => `  ${line(row)}`), ...more];
}

export function doctorText(report: DoctorReport): string {
  const leakage = report.duplicates.filter((g) => g.leakage);
  const group = (g: DoctorReport['duplicates'][number]) => `${g.kind}${g.kind === 'near' ? ` (${g.similarity.toFixed(3)})` : ''}: ${g.files.map((f, i) => `${printable(f)} [${g.splits[i]}]`).join(', ')}`;
  return [
    `checked ${Object.values(report.classes).reduce((n, c) => n + c.train + c.val + c.test, 0)} images with ${report.base} (${report.computed} needed a base pass) in ${report.seconds.toFixed(1)} s`,
    ...section('train–test leakage (the same picture in train and val/test)', leakage, group),
    ...section('likely label issues (most suspect first)', report.labelIssues, (i) => `${printable(i.file)}: labelled "${printable(i.given)}", looks like "${printable(i.suggested)}" (${i.score.toFixed(2)})`),
    ...section('other duplicates', report.duplicates.filter((g) => !g.leakage), group),
    ...section('outliers (far from every other image)', report.outliers, (o) => `${printable(o.file)} (${o.score.toFixed(3)})`),
    ...section('odd images', report.odd, (o) => `${printable(o.file)}: ${o.reason}`),
    ...(report.imbalance ? [report.imbalance.note] : []),
  ].join('\n');
}

/** The last stdout line under --json: files are absolute paths, label issues most suspect first, leakage groups first. */
export function doctorJson(report: DoctorReport): Record<string, unknown> {
  return {
    label_issues: report.labelIssues,
    duplicates: report.duplicates,
    outliers: report.outliers,
    classes: report.classes,
    seconds: report.seconds,
    odd_images: report.odd,
    imbalance: report.imbalance ? { ratio: report.imbalance.ratio, largest: report.imbalance.largest, smallest: report.imbalance.smallest, note: report.imbalance.note } : undefined,
    skipped: report.skipped,
  };
}
