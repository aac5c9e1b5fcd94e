// Saves what the dashboard exports: a chart as PNG, the metrics as CSV, the whole run as one HTML file.
import * as vscode from 'vscode';
import { basename, join } from 'node:path';
import { metricsCsv } from '../report/metricsCsv';
import { reportImagePaths, type ReportHeatmaps, type Thumbnails } from '../report/reportGalleries';
import { runReportHtml } from '../report/runReport';
import { readRunSnapshot } from './runFolderSnapshot';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function saveAs(runDir: string, fileName: string, label: string, extension: string, bytes: Uint8Array): Promise<void> {
  const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(runDir, fileName)), filters: { [label]: [extension] }, title: `Export ${label}` });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, bytes);
  void offerSaved(target);
}

/** "Saved …" with the next step: open the file (a report in the browser), or show it in the Explorer. */
async function offerSaved(target: vscode.Uri): Promise<void> {
  const choice = await vscode.window.showInformationMessage(`Saved ${basename(target.fsPath)}`, 'Open', 'Reveal in Explorer');
  if (choice === 'Open') await (target.fsPath.endsWith('.html') ? vscode.env.openExternal(target) : vscode.commands.executeCommand('vscode.open', target));
  if (choice === 'Reveal in Explorer') await vscode.commands.executeCommand('revealInExplorer', target);
}

/** `chart` and `dataUrl` come from the webview: the name is reduced to safe characters, the bytes must be a PNG. */
export async function savePng(runDir: string, chart: string, dataUrl: string): Promise<void> {
  const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('the chart image is not a PNG');
  const name = chart.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'chart';
  await saveAs(runDir, `${basename(runDir)}-${name}.png`, 'PNG image', 'png', bytes);
}

export async function saveCsv(runDir: string): Promise<void> {
  const snapshot = await readRunSnapshot(runDir, () => undefined);
  await saveAs(runDir, `${basename(runDir)}-metrics.csv`, 'CSV', 'csv', Buffer.from(metricsCsv(snapshot), 'utf8'));
}

/** `thumbnails` and `heatmaps` make the report's embedded pictures (the caller decides which images may be read). */
export async function saveReport(runDir: string, thumbnails: (paths: string[]) => Promise<Thumbnails>, heatmaps: (paths: string[]) => Promise<ReportHeatmaps>): Promise<void> {
  const snapshot = await readRunSnapshot(runDir, () => undefined);
  const paths = reportImagePaths(snapshot);
  const html = runReportHtml(snapshot, new Date(), await thumbnails(paths), paths.length ? await heatmaps(paths) : undefined);
  await saveAs(runDir, `${basename(runDir)}-report.html`, 'HTML report', 'html', Buffer.from(html, 'utf8'));
}
