// Per-class precision, recall and F1, with the macro average.
import type { EvaluationSplit } from '../../src/protocol/webview';
import { h } from '../common/dom';
import { formatCount, formatPercent } from '../../src/shared/format';

export function classTable(split: EvaluationSplit, kind: 'image' | 'text'): HTMLElement {
  const num = (text: string) => h('td', { class: 'num' }, text);
  const row = (name: string, r: { precision: number | null; recall: number | null; f1: number | null }, support: number, cls = '') =>
    h('tr', { class: cls }, h('th', { attrs: { scope: 'row' } }, name), num(formatPercent(r.precision)), num(formatPercent(r.recall)), num(formatPercent(r.f1)), num(formatCount(support)));
  return h('table', { class: 'per-class' },
    h('caption', { class: 'visually-hidden' }, `Per-class metrics on the ${split.split} split`),
    h('thead', {}, h('tr', {}, ...['class', 'precision', 'recall', 'F1', `${kind}s`].map((t, i) => h('th', { class: i ? 'num' : '', attrs: { scope: 'col' } }, t)))),
    h('tbody', {}, ...split.perClass.map((r) => row(r.name, r, r.support)), row('macro average', split.macro, split.count, 'macro')));
}
