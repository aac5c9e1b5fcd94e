// The Data Health panel's pure parts: where Move puts a file, what Exclude records, which findings Keep hides, and the
// doctor's report as the webview shows it. No vscode import, so tests run them directly.
import { basename, dirname, join, relative, sep } from 'node:path';
import type { DoctorReport } from '../../../protocol/host';
import type { HealthReport, HealthSection } from '../../../protocol/webview';

/** Every file the report names: the only files the panel acts on or shows. */
export function reportFiles(report: DoctorReport): Set<string> {
  return new Set([...report.labelIssues.map((r) => r.file), ...report.duplicates.flatMap((g) => g.files), ...report.outliers.map((r) => r.file), ...report.odd.map((r) => r.file)]);
}

/** The sibling class folder's path for `file`, labelled `given` (its folder's name) and likely `suggested`. */
export function moveTarget(file: string, given: string, suggested: string): string {
  const classFolder = dirname(file);
  if (basename(classFolder) !== given) throw new Error(`${file} is not in a class folder named "${given}" any more: move it by hand, then run Check Dataset again`);
  return join(dirname(classFolder), suggested, basename(file));
}

/** `file` as data.exclude lists it: relative to the experiment file, with forward slashes on every system. */
export function excludeEntry(experimentFile: string, file: string): string {
  return relative(dirname(experimentFile), file).split(sep).join('/');
}

/** A Keep decision's key: one file of a section, or a whole duplicate group (its files, sorted). */
export function keepKey(report: Pick<DoctorReport, 'duplicates'>, section: HealthSection, file: string): string {
  if (section !== 'duplicates') return `${section}:${file}`;
  const group = report.duplicates.find((g) => g.files.includes(file));
  return `duplicates:${[...(group?.files ?? [file])].sort().join('\n')}`;
}

/** The report without the findings kept before (`kept` holds keepKey values). */
export function withoutKept(report: DoctorReport, kept: ReadonlySet<string>): { report: DoctorReport; hidden: number } {
  const shown = <T>(rows: T[], key: (row: T) => string) => rows.filter((row) => !kept.has(key(row)));
  const next = {
    ...report,
    labelIssues: shown(report.labelIssues, (r) => keepKey(report, 'labelIssues', r.file)),
    duplicates: shown(report.duplicates, (g) => keepKey(report, 'duplicates', g.files[0])),
    outliers: shown(report.outliers, (r) => keepKey(report, 'outliers', r.file)),
    odd: shown(report.odd, (r) => keepKey(report, 'odd', r.file)),
  };
  const count = (r: DoctorReport) => r.labelIssues.length + r.duplicates.length + r.outliers.length + r.odd.length;
  return { report: next, hidden: count(report) - count(next) };
}

export interface ViewOptions {
  target: string;
  kept: ReadonlySet<string>;
  /** The webview URI of an image the panel may show, else undefined. */
  imageUri: (file: string) => string | undefined;
  excludeDisabled?: string;
}

export function healthReportView(full: DoctorReport, options: ViewOptions): HealthReport {
  const { report, hidden } = withoutKept(full, options.kept);
  const view = (file: string) => ({ file, image: options.imageUri(file) });
  const classes = Object.entries(report.classes).map(([name, c]) => ({ name, ...c }));
  return {
    target: options.target, base: report.base, seconds: report.seconds, computed: report.computed, excludeDisabled: options.excludeDisabled,
    images: classes.reduce((n, c) => n + c.train + c.val + c.test, 0),
    labelIssues: report.labelIssues.map((r) => ({ ...view(r.file), given: r.given, suggested: r.suggested, score: r.score })),
    duplicates: report.duplicates.map((g) => ({ kind: g.kind, leakage: g.leakage, similarity: g.similarity, members: g.files.map((f, i) => ({ ...view(f), split: g.splits[i] })) })),
    outliers: report.outliers.map((r) => ({ ...view(r.file), score: r.score })),
    odd: report.odd.map((r) => ({ ...view(r.file), reason: r.reason })),
    classes, imbalance: report.imbalance && report.imbalance.ratio > 1.5 ? report.imbalance.note : undefined,
    skipped: report.skipped.map((s) => ({ file: s.path, reason: s.reason })), kept: hidden,
  };
}

/** The dashboard's one line about a finished run's data. */
export function dataSummary(report: Pick<DoctorReport, 'labelIssues' | 'duplicates'>): { labelIssues: number; leaked: number } {
  return { labelIssues: report.labelIssues.length, leaked: report.duplicates.filter((g) => g.leakage).length };
}
