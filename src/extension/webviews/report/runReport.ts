// A run as one HTML file that opens in any browser: inline data, inline SVG charts, tables, embedded thumbnails;
// no script, no URL.
import type { EvaluationSplit, RunSnapshot } from '../../../protocol/webview';
import { decimateMinMax } from '../../../../webview/shared/decimate';
import { baseName, formatDuration, formatMetric, formatPercent, formatRate, phaseEndingText, shortEngine } from '../../../shared/format';
import { confidentMistakes, matrixCells } from '../../../../webview/shared/matrix';
import { buildCurves } from '../../../../webview/shared/series';
import { escapeHtml as e } from '../html';
import { cellGalleriesHtml, heatmapToggle, MISTAKES, mistakesGallery, NO_HEATMAPS, reportSplits, type Pictures, type ReportHeatmaps, type Thumbnails } from './reportGalleries';
import { REPORT_CSS, REPORT_MATRIX, REPORT_PALETTE as C } from './reportStyle';
import { cellColours } from '../../../../webview/shared/contrast';
import { svgLineChart } from './svgChart';

const TRACE_BUCKETS = 300;

const table = (head: string[] | undefined, rows: string[][]) =>
  `<table>${head ? `<thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead>` : ''}<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function charts(s: RunSnapshot): string {
  const c = buildCurves(s.header.phases, s.epochs, s.batches, { ended: s.state.state !== 'running', endings: s.endings });
  const trace = (points: typeof c.batchLoss) => decimateMinMax(points, TRACE_BUCKETS);
  return [
    svgLineChart({ title: 'Loss', formatY: (y) => y.toFixed(2), markers: c.boundaries, series: [
      { label: 'train (batches)', color: C.train, points: trace(c.batchLoss), thin: true },
      { label: 'train', color: C.train, points: c.trainLoss }, { label: 'validation', color: C.val, points: c.valLoss, dashed: true }] }),
    svgLineChart({ title: 'Accuracy', formatY: (y) => formatPercent(y, 0), markers: c.boundaries, series: [
      { label: 'train (batches)', color: C.train, points: trace(c.batchAccuracy), thin: true },
      { label: 'train', color: C.train, points: c.trainAccuracy }, { label: 'validation', color: C.val, points: c.valAccuracy, dashed: true }] }),
    svgLineChart({ title: 'Learning rate', formatY: formatRate, markers: c.boundaries, logY: true, series: [{ label: 'learning rate', color: C.rate, points: trace(c.learningRate) }] }),
  ].map((svg, i) => `<figure><figcaption>${['Loss', 'Accuracy', 'Learning rate'][i]}</figcaption>${svg}</figure>`).join('');
}

function matrix(split: EvaluationSplit): string {
  const cells = matrixCells(split.confusionMatrix, 'counts');
  const head = `<tr><th scope="col">true ↓ / predicted →</th>${split.classes.map((name) => `<th scope="col" class="col">${e(name)}</th>`).join('')}</tr>`;
  const rows = cells.map((row, i) => `<tr><th scope="row">${e(split.classes[i])}</th>${row.map((cell) => {
    // each scheme's shade and the text colour that reads on it (WCAG AA), chosen by the reader's light or dark setting
    const [light, dark] = [REPORT_MATRIX.light, REPORT_MATRIX.dark].map((palette) => cellColours(palette, cell.correct, cell.intensity));
    const style = `--bg-l:${light.background};--fg-l:${light.color};--bg-d:${dark.background};--fg-d:${dark.color}`;
    return `<td class="${cell.correct ? 'hit' : 'miss'}" style="${style}" title="${formatPercent(cell.share)} of ${e(split.classes[i])}">${cell.count}</td>`;
  }).join('')}</tr>`).join('');
  return `<div class="matrix"><table>${head}${rows}</table></div>`;
}

/** Images: galleries of embedded thumbnails; texts: the mistakes' own words in a table. */
function mistakes(split: EvaluationSplit, kind: 'image' | 'text', pictures: Pictures): string {
  if (kind === 'image') return `<h3>Most confident mistakes</h3>${mistakesGallery(split, pictures)}<h3>Images by confusion-matrix cell</h3>${cellGalleriesHtml(split, pictures)}`;
  const rows = confidentMistakes(split.samples, MISTAKES).map((m) => [m.text ?? m.path, split.classes[m.label], split.classes[m.predicted], formatPercent(m.confidence)]);
  return `<h3>Most confident mistakes</h3>${table(['text', 'true', 'predicted', 'confidence'], rows)}`;
}

function evaluation(split: EvaluationSplit, kind: 'image' | 'text', pictures: Pictures): string {
  const perClass = table(['class', 'precision', 'recall', 'F1', 'support'], [
    ...split.perClass.map((r) => [r.name, formatPercent(r.precision), formatPercent(r.recall), formatPercent(r.f1), String(r.support)]),
    ['macro average', formatPercent(split.macro.precision), formatPercent(split.macro.recall), formatPercent(split.macro.f1), String(split.count)],
  ]);
  return `<section><h2>${e(split.split)} split: ${formatPercent(split.accuracy)} accuracy on ${split.count} ${kind}s</h2>
<h3>Confusion matrix</h3>${matrix(split)}<h3>Per class</h3>${perClass}${mistakes(split, kind, pictures)}</section>`;
}

/** Inline JSON that cannot close its script element or start markup. */
const jsonData = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/**
 * `thumbnails` (image path → JPEG data: URI) are the only pictures; images without one show as "no preview".
 * `heatmaps` lie over their thumbnails, hidden until the reader ticks "Show where the model looks".
 */
export function runReportHtml(s: RunSnapshot, generated: Date, thumbnails: Thumbnails = new Map(), heatmaps: ReportHeatmaps = NO_HEATMAPS): string {
  const { header: h, state } = s;
  const seconds = state.startedAt && state.updatedAt ? (Date.parse(state.updatedAt) - Date.parse(state.startedAt)) / 1000 : NaN;
  const summary = table(undefined, [
    ['experiment', h.experiment], ['state', state.state + (state.message ? ` — ${state.message}` : '')], ['base model', h.baseModel],
    ['dataset', h.dataset], ['engine', shortEngine(state.engine)], ['started', state.startedAt ?? '—'], ['duration', formatDuration(seconds)],
    ...h.phases.map((p, i) => {
      const ending = s.endings?.find((x) => x.phaseIndex === i);
      return [`phase ${i + 1}`, `${p.name}: ${plural(p.epochs, 'epoch')}${ending ? ` (${phaseEndingText(ending)})` : ''}, batch ${p.batchSize}, learning rate ${formatRate(p.learningRate)}`];
    }),
    ['final validation loss', formatMetric(s.epochs.at(-1)?.valLoss)],
  ]);
  const splits = reportSplits(s);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Transfer Lab run ${e(h.run)}</title><style>${REPORT_CSS}</style></head>
<body><h1>Run ${e(h.run)}</h1><p class="meta">Transfer Lab report, generated ${e(generated.toISOString())} from ${e(baseName(s.restoreKey))}.</p>
${summary}<section><h2>Training</h2>${charts(s)}</section>
${splits.length && s.header.kind === 'image' ? heatmapToggle(heatmaps) : ''}
${splits.length ? splits.map((split) => evaluation(split, s.header.kind, { thumbnails, heatmaps })).join('') : '<p>No evaluation: the run did not complete.</p>'}
<script type="application/json" id="transfer-lab-run">${jsonData(s)}</script>
</body></html>
`;
}
