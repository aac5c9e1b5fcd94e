// Compare-runs webview: curves of two or more runs overlaid, and their headline metrics side by side.
import '../common/base.css';
import './compare.css';
import { toCompareWebview, type CompareRun, type FromCompareWebview, type ToCompareWebview } from '../../src/protocol/webview';
import { spinner } from '../common/components';
import { h, replace } from '../common/dom';
import { LineChart, type LineSeries } from '../common/lineChart';
import { onThemeChange } from '../common/theme';
import { connect, loadState, saveState } from '../common/vscodeApi';
import { formatDuration, formatMetric, formatPercent } from '../../src/shared/format';
import { buildCurves, upsertInOrder } from '../shared/series';
import { bestRuns, compareRow, type CompareRow } from './compareRows';
import { experimentDifferences } from './differences';

const app = document.getElementById('app')!;
const saved = loadState({});
let runs: CompareRun[] = [];
let restoreKey = saved.restoreKey;
let frame = 0;

const exportPng = (chart: string, dataUrl: string) => post({ type: 'export/png', chart: `compare-${chart}`, dataUrl });
const charts = {
  valAccuracy: new LineChart({ id: 'val-accuracy', title: 'Validation accuracy', formatY: (y) => formatPercent(y), formatTick: (y) => formatPercent(y, 0) }, exportPng),
  valLoss: new LineChart({ id: 'val-loss', title: 'Validation loss', formatY: (y) => formatMetric(y), formatTick: (y) => formatMetric(y, 2) }, exportPng),
  trainLoss: new LineChart({ id: 'train-loss', title: 'Training loss', formatY: (y) => formatMetric(y), formatTick: (y) => formatMetric(y, 2) }, exportPng),
};
const table = h('div', { class: 'table-scroll' });
const differences = h('section', { class: 'differences table-scroll', attrs: { 'aria-label': 'What differs' } });

const swatch = (i: number) => h('span', { class: `swatch swatch-${i % 6}`, attrs: { 'aria-hidden': 'true' } });

/** The experiment settings that differ, one row each, one column per run (in the charts' colours). */
function differencesTable(): HTMLElement[] {
  const rows = experimentDifferences(runs);
  if (rows.length === 0) return [h('h2', {}, 'What differs'), h('p', { class: 'muted' }, 'The runs share every experiment setting: they differ only by chance (seed) or by their data.')];
  return [h('h2', {}, 'What differs'), h('table', {},
    h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' } }, 'setting'), ...runs.map((r, i) => h('th', { attrs: { scope: 'col' } }, swatch(i), r.id)))),
    h('tbody', {}, ...rows.map((d) => h('tr', {}, h('th', { attrs: { scope: 'row' } }, d.setting), ...d.values.map((v) => h('td', {}, v))))))];
}

function headline(rows: CompareRow[]): HTMLElement {
  const columns: [string, (r: CompareRow) => string, ((r: CompareRow) => number | null)?, boolean?][] = [
    ['best val accuracy', (r) => formatPercent(r.bestValAccuracy), (r) => r.bestValAccuracy],
    ['final val loss', (r) => formatMetric(r.finalValLoss), (r) => r.finalValLoss, true],
    ['test accuracy', (r) => formatPercent(r.testAccuracy), (r) => r.testAccuracy],
    ['macro F1 (val)', (r) => formatPercent(r.macroF1), (r) => r.macroF1],
    ['epochs', (r) => String(r.epochs)],
    ['duration', (r) => formatDuration(r.seconds)],
  ];
  const best = columns.map(([, , pick, lower]) => (pick && rows.length > 1 ? bestRuns(rows, pick, lower) : new Set<number>()));
  return h('table', { class: 'headline' },
    h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' } }, 'run'), ...['state', 'base model', 'engine'].map((name) => h('th', { attrs: { scope: 'col' } }, name)), ...columns.map(([name]) => h('th', { class: 'num', attrs: { scope: 'col' } }, name)))),
    h('tbody', {}, ...rows.map((r, i) => h('tr', {},
      h('th', { attrs: { scope: 'row' } }, swatch(i), r.id),
      h('td', {}, r.state), h('td', {}, r.baseModel), h('td', { attrs: { title: r.engineDetail } }, r.engine),
      ...columns.map(([name, text], c) => h('td', { class: best[c].has(i) ? 'num best' : 'num', attrs: best[c].has(i) ? { title: `best ${name}` } : {} }, text(r)))))));
}

function draw(): void {
  frame = 0;
  const curves = runs.map((run) => buildCurves(run.header.phases, run.epochs, [], { ended: run.state.state !== 'running' }));
  const series = (pick: (c: (typeof curves)[number]) => LineSeries['points']): LineSeries[] => runs.map((run, i) => ({ label: run.id, role: i, points: pick(curves[i]) }));
  const end = Math.max(0, ...curves.map((c) => c.end));
  // phase markers shared by every run (same plan); differing plans would only clutter the overlay
  const markers = curves[0]?.boundaries.filter((b) => curves.every((c) => c.boundaries.some((o) => o.x === b.x && o.label === b.label))) ?? [];
  charts.valAccuracy.setData(series((c) => c.valAccuracy), markers, end);
  charts.valLoss.setData(series((c) => c.valLoss), markers, end);
  charts.trainLoss.setData(series((c) => c.trainLoss), markers, end);
  replace(table, headline(runs.map(compareRow)));
  replace(differences, ...differencesTable());
}

function receive(message: ToCompareWebview): void {
  if (message.type === 'compare/show') {
    runs = message.runs;
    restoreKey = message.restoreKey;
    saveState({ restoreKey, ui: {} });
    replace(app, h('h1', {}, `Comparing ${runs.length} runs`), table, differences, h('section', { class: 'charts' }, charts.valAccuracy.element, charts.valLoss.element, charts.trainLoss.element));
    app.setAttribute('aria-busy', 'false');
  } else {
    const run = runs.find((r) => r.id === message.id);
    if (!run) return;
    upsertInOrder(run.epochs, message.point);
  }
  if (!frame) frame = requestAnimationFrame(draw);
}

onThemeChange(() => Object.values(charts).forEach((c) => c.applyTheme()));
replace(app, spinner('Reading the runs…'));
const post = connect<ToCompareWebview, FromCompareWebview>(toCompareWebview, receive);
