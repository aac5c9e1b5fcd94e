// Confusion-matrix heatmap as an ARIA grid: labelled axes, counts or row shares, arrow keys, Enter opens a cell.
import type { EvaluationSplit } from '../../src/protocol/webview';
import { h } from '../common/dom';
import { matrixPalette } from '../common/theme';
import { cellColours } from '../shared/contrast';
import { formatExamples, formatPercent } from '../../src/shared/format';
import { matrixCells, matrixLayout, type MatrixMode } from '../shared/matrix';

export type OpenCell = (label: number, predicted: number) => void;

export function matrixTable(split: EvaluationSplit, mode: MatrixMode, shown: readonly number[], open: OpenCell, kind: 'image' | 'text'): HTMLElement {
  const cells = matrixCells(split.confusionMatrix, mode);
  const palette = matrixPalette();
  const layout = matrixLayout(shown.length);
  const name = (i: number) => split.classes[i];
  const colLabel = (i: number) => (layout.columnLabels === 'names' ? name(i) : String(i + 1));
  const rowLabel = (i: number) => (layout.columnLabels === 'names' ? name(i) : `${i + 1} · ${name(i)}`);
  const head = h('tr', {}, h('th', { class: 'corner', attrs: { scope: 'col' } }, 'true ↓  predicted →'),
    ...shown.map((j) => h('th', { class: 'col', attrs: { scope: 'col', title: name(j) } }, h('span', {}, colLabel(j)))));
  const rows = shown.map((i, r) => h('tr', {}, h('th', { class: 'row-head', attrs: { scope: 'row', title: name(i) } }, rowLabel(i)),
    ...shown.map((j, c) => {
      const cell = cells[i][j];
      const label = `True ${name(i)}, predicted ${name(j)}: ${formatExamples(cell.count, kind)} (${formatPercent(cell.share)} of ${name(i)})`;
      const td = h('td', {
        class: `cell ${cell.correct ? 'hit' : 'miss'}${cell.count === 0 ? ' zero' : ''}`,
        attrs: { role: 'gridcell', tabindex: r === 0 && c === 0 ? 0 : -1, title: label, 'aria-label': label, 'data-r': r, 'data-c': c, 'data-label': i, 'data-predicted': j },
      }, layout.showValues ? cell.text : '');
      const colours = cellColours(palette, cell.correct, cell.intensity);
      td.style.background = colours.background;
      td.style.color = colours.color;
      return td;
    })));
  const table = h('table', {
    class: `matrix${layout.showValues ? '' : ' compact'}`,
    attrs: { role: 'grid', 'aria-label': `Confusion matrix of the ${split.split} split: rows are true classes, columns are predictions; Enter shows a cell's ${kind}s` },
    on: { keydown: (e) => moveFocus(e, table, shown, open), click: (e) => openAt(e.target, shown, open) },
  }, h('thead', {}, head), h('tbody', {}, ...rows));
  table.style.setProperty('--cell', `${layout.cell}px`);
  return table;
}

function openAt(target: EventTarget | null, shown: readonly number[], open: OpenCell): void {
  const td = (target as Element | null)?.closest('td.cell');
  if (td) open(shown[Number(td.getAttribute('data-r'))], shown[Number(td.getAttribute('data-c'))]);
}

function moveFocus(event: KeyboardEvent, table: HTMLElement, shown: readonly number[], open: OpenCell): void {
  const td = (event.target as Element).closest('td.cell');
  if (!td) return;
  if (event.key === 'Enter' || event.key === ' ') {
    openAt(td, shown, open);
    event.preventDefault();
    return;
  }
  const last = shown.length - 1;
  let [r, c] = [Number(td.getAttribute('data-r')), Number(td.getAttribute('data-c'))];
  const moves: Record<string, () => void> = {
    ArrowUp: () => (r = Math.max(0, r - 1)), ArrowDown: () => (r = Math.min(last, r + 1)),
    ArrowLeft: () => (c = Math.max(0, c - 1)), ArrowRight: () => (c = Math.min(last, c + 1)),
    Home: () => (c = 0), End: () => (c = last),
  };
  if (!moves[event.key]) return;
  moves[event.key]();
  event.preventDefault();
  const next = table.querySelector<HTMLElement>(`td[data-r="${r}"][data-c="${c}"]`);
  if (!next) return;
  td.setAttribute('tabindex', '-1');
  next.setAttribute('tabindex', '0');
  next.focus();
}
