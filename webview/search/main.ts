// Search leaderboard webview: cross-validated accuracy against the base's speed (one colour per base, the winner
// ringed), every trial in a table with "Train" on each row, and "Train This" / "Open File" for the winner.
import '../common/base.css';
import './search.css';
import { Chart, Legend, LinearScale, LogarithmicScale, PointElement, ScatterController, Tooltip } from 'chart.js';
import { toSearchWebview, type FromSearchWebview, type SearchRowView, type ToSearchWebview } from '../../src/protocol/webview';
import { button, spinner } from '../common/components';
import { h, replace } from '../common/dom';
import { chartTheme, onThemeChange } from '../common/theme';
import { connect } from '../common/vscodeApi';
import { formatCompact, formatPercent, formatRate } from '../../src/shared/format';

Chart.register(ScatterController, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend);

const app = document.getElementById('app')!;
let shown: Extract<ToSearchWebview, { type: 'search/show' }> | undefined;
let chart: Chart<'scatter'> | undefined;

const headSettings = (row: SearchRowView) => {
  const s = row.settings;
  return `lr ${formatRate(s.learningRate)}, dropout ${s.dropout}, ${s.hiddenUnits > 0 ? `hidden ${s.hiddenUnits}, ` : ''}${s.epochs} epochs, class weights ${s.classWeights}`;
};

function scatter(rows: SearchRowView[]): HTMLElement {
  chart?.destroy();
  const theme = chartTheme();
  const bases = [...new Set(rows.map((r) => r.base))];
  const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': `Cross-validated accuracy against milliseconds per image: ${rows.length} trials on ${bases.length} bases` } });
  chart = new Chart(canvas, {
    type: 'scatter',
    data: {
      datasets: bases.map((base, b) => ({
        label: rows.find((r) => r.base === base)!.displayName,
        data: rows.filter((r) => r.base === base).map((r) => ({ x: r.msPerImage, y: r.cvAccuracy })),
        backgroundColor: theme.series[b % theme.series.length],
        borderColor: rows.filter((r) => r.base === base).map((r) => (r === rows[0] ? theme.foreground : theme.series[b % theme.series.length])),
        borderWidth: rows.filter((r) => r.base === base).map((r) => (r === rows[0] ? 3 : 1)),
        pointRadius: rows.filter((r) => r.base === base).map((r) => (r === rows[0] ? 7 : 4)),
        clip: false, // a 100 % trial sits on the top edge: drawn whole
      })),
    },
    options: {
      maintainAspectRatio: false, animation: false,
      plugins: {
        legend: { labels: { color: theme.foreground } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatPercent(item.parsed.y)} at ${(item.parsed.x ?? 0).toFixed(1)} ms/image` } },
      },
      scales: {
        x: { type: 'logarithmic', title: { display: true, text: 'ms per image (base forward pass)', color: theme.muted }, ticks: { color: theme.muted, callback: (v) => logTickLabel(Number(v)) }, grid: { color: theme.grid } },
        y: { max: 1, title: { display: true, text: 'cross-validated accuracy', color: theme.muted }, ticks: { color: theme.muted, callback: (v) => formatPercent(Number(v), 0) }, grid: { color: theme.grid } },
      },
    },
  });
  return h('div', { class: 'scatter' }, canvas);
}

/** Labels 1, 2 and 5 of each decade only: Chart.js labels every tick of a log axis, and 8, 9 and 10 ran together. */
function logTickLabel(value: number): string {
  const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
  return [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6) ? String(value) : '';
}

function table(rows: SearchRowView[]): HTMLElement {
  const lastRung = rows[0]?.rung ?? 0;
  const head = ['#', 'base', 'cv accuracy', '± std', 'ms/image', 'params', 'head and recipe', 'rung', ''];
  return h('div', { class: 'table-scroll' }, h('table', { class: 'leaderboard' },
    h('thead', {}, h('tr', {}, ...head.map((name, i) => h('th', { class: [2, 3, 4, 5, 7].includes(i) ? 'num' : '', attrs: { scope: 'col' } }, name)))),
    h('tbody', {}, ...rows.map((row, i) => h('tr', { class: i === 0 ? 'winner' : row.rung < lastRung ? 'earlier' : '' },
      h('th', { attrs: { scope: 'row' } }, String(i + 1)),
      h('td', { attrs: { title: row.base } }, row.displayName),
      h('td', { class: 'num' }, formatPercent(row.cvAccuracy)), h('td', { class: 'num' }, formatPercent(row.cvStd)),
      h('td', { class: 'num' }, row.msPerImage.toFixed(1)), h('td', { class: 'num' }, formatCompact(row.params)),
      h('td', {}, headSettings(row)), h('td', { class: 'num' }, String(row.rung + 1)),
      h('td', {}, button('Train', () => post({ type: 'search/train', row: i }), { secondary: i > 0, title: i === 0 ? `Train ${shown?.bestExperiment}` : 'Write this row as an experiment beside the original and train it', name: `Train row ${i + 1}` })))))));
}

function draw(): void {
  if (!shown) return;
  const { rows } = shown;
  const folds = shown.folds > 1 ? `${shown.folds}-fold cross-validation` : 'a stratified holdout';
  replace(app,
    h('h1', {}, `Best setup for ${shown.experiment.split(/[\\/]/).pop()}`),
    h('p', {}, `${rows.length} trials, ${folds} of the training split (validation and test images unused), ${shown.seconds.toFixed(0)} s. Winner: ${rows[0].displayName} — ${headSettings(rows[0])}, written to ${shown.bestExperiment}.`),
    h('div', { class: 'actions' }, button('Train This', () => post({ type: 'search/train', row: 0 }), { title: `Train ${shown.bestExperiment}` }), button('Open File', () => post({ type: 'search/open', row: 0 }), { secondary: true })),
    scatter(rows), table(rows));
  app.setAttribute('aria-busy', 'false');
}

onThemeChange(draw);
replace(app, spinner('Reading the leaderboard…'));
const post = connect<ToSearchWebview, FromSearchWebview>(toSearchWebview, (message) => {
  shown = message;
  draw();
});
