// The layers tree (ARIA tree pattern with aria-activedescendant), virtualised: only rows in view exist in the DOM,
// so a 300+ layer model renders and scrolls at once.
import { h, replace } from '../common/dom';
import { formatCount } from '../../src/shared/format';
import { treeKey, type TreeRow } from './layerTree';

const ROW_HEIGHT = 22; // px, as VS Code's own trees
const OVERSCAN = 8;

export interface TreeCallbacks {
  toggle(row: TreeRow): void;
  setExpanded(id: string, open: boolean): void;
  activate(id: string): void;
}

const domId = (id: string) => `row-${id.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0)}`)}`;

export class TreeView {
  readonly element: HTMLElement;
  private readonly sizer = h('div', { class: 'tree-sizer' });
  private rows: TreeRow[] = [];
  private active: string | undefined;
  private frame = 0;

  constructor(label: string, private readonly callbacks: TreeCallbacks) {
    this.element = h('div', {
      class: 'tree', attrs: { role: 'tree', 'aria-label': label, tabindex: 0 },
      on: { scroll: () => this.schedule(), keydown: (e) => this.onKey(e), click: (e) => this.onClick(e), dblclick: (e) => this.onDoubleClick(e) },
    }, this.sizer);
    new ResizeObserver(() => this.schedule()).observe(this.element);
  }

  /** Shows `rows`; returns the row that is current (`active` if it is still shown, else the first). */
  setRows(rows: TreeRow[], active: string | undefined, resetScroll = false): string | undefined {
    this.rows = rows;
    this.active = rows.some((r) => r.id === active) ? active : rows[0]?.id;
    this.sizer.style.height = `${rows.length * ROW_HEIGHT}px`;
    if (resetScroll) this.element.scrollTop = 0;
    else if (document.activeElement === this.element) this.reveal(); // keyboard users keep their row in view
    this.render();
    return this.active;
  }

  focusActive(): void {
    this.element.focus();
    this.reveal();
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => ((this.frame = 0), this.render()));
  }

  private render(): void {
    const first = Math.max(0, Math.floor(this.element.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, first + Math.ceil((this.element.clientHeight || 600) / ROW_HEIGHT) + 2 * OVERSCAN);
    const indices = new Set(Array.from({ length: last - first }, (_, k) => first + k));
    const activeIndex = this.rows.findIndex((r) => r.id === this.active);
    if (activeIndex >= 0) indices.add(activeIndex); // aria-activedescendant must always point at a live element
    replace(this.sizer, ...[...indices].map((i) => this.rowElement(this.rows[i], i)));
    if (this.active) this.element.setAttribute('aria-activedescendant', domId(this.active));
    else this.element.removeAttribute('aria-activedescendant');
  }

  private rowElement(row: TreeRow, index: number): HTMLElement {
    const el = h('div', {
      class: `row ${row.kind}${row.id === this.active ? ' active' : ''}`,
      attrs: {
        id: domId(row.id), role: 'treeitem', 'data-id': row.id, 'aria-level': row.level, 'aria-setsize': row.setSize, 'aria-posinset': row.posInSet,
        'aria-checked': row.checked, 'aria-expanded': row.kind === 'block' ? String(row.expanded) : undefined, 'aria-selected': String(row.id === this.active),
        'aria-label': rowLabel(row), title: rowLabel(row),
      },
    }, ...rowCells(row));
    el.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    return el;
  }

  private setActive(id: string): void {
    this.active = id;
    this.callbacks.activate(id);
    this.reveal();
    this.render();
  }

  private reveal(): void {
    const i = this.rows.findIndex((r) => r.id === this.active);
    if (i < 0) return;
    const top = i * ROW_HEIGHT;
    if (top < this.element.scrollTop) this.element.scrollTop = top;
    else if (top + ROW_HEIGHT > this.element.scrollTop + this.element.clientHeight) this.element.scrollTop = top + ROW_HEIGHT - this.element.clientHeight;
  }

  private onKey(event: KeyboardEvent): void {
    const row = this.rows.find((r) => r.id === this.active);
    if (row && (event.key === ' ' || (event.key === 'Enter' && row.kind === 'layer'))) this.callbacks.toggle(row);
    else if (row?.kind === 'block' && event.key === 'Enter') this.callbacks.setExpanded(row.id, !row.expanded);
    else {
      const result = treeKey(this.rows, this.active, event.key);
      if (!result) return;
      if (result.expand) this.callbacks.setExpanded(result.expand, true);
      if (result.collapse) this.callbacks.setExpanded(result.collapse, false);
      if (result.focus) this.setActive(result.focus);
    }
    event.preventDefault();
  }

  private rowAt(event: MouseEvent): TreeRow | undefined {
    const id = (event.target as Element).closest('[data-id]')?.getAttribute('data-id');
    return this.rows.find((r) => r.id === id);
  }

  private onClick(event: MouseEvent): void {
    const row = this.rowAt(event);
    if (!row) return;
    this.setActive(row.id);
    const part = (event.target as Element).closest('.check, .twisty');
    if (part?.classList.contains('check')) this.callbacks.toggle(row);
    else if (part && row.kind === 'block') this.callbacks.setExpanded(row.id, !row.expanded);
  }

  private onDoubleClick(event: MouseEvent): void {
    const row = this.rowAt(event);
    if (row?.kind === 'block' && !(event.target as Element).closest('.check, .twisty')) this.callbacks.setExpanded(row.id, !row.expanded);
  }
}

function rowCells(row: TreeRow): HTMLElement[] {
  const check = h('span', { class: `check ${row.checked}`, attrs: { 'aria-hidden': 'true', title: row.checked === 'true' ? 'Trainable (click to freeze)' : 'Frozen (click to unfreeze)' } });
  if (row.kind === 'block') {
    return [
      h('span', { class: 'twisty', attrs: { 'aria-hidden': 'true' } }, row.expanded ? '▾' : '▸'), check,
      h('span', { class: 'name' }, row.block),
      // a compact badge in a narrow sidebar ("0/9"), words where there is room
      h('span', { class: 'detail muted', attrs: { title: `${row.trainableLayers} of ${row.layers.length} layers trainable` } }, `${row.trainableLayers}/${row.layers.length}`, h('span', { class: 'wide' }, ' trainable')),
      h('span', { class: 'params num' }, formatCount(row.params)),
    ];
  }
  const { layer } = row;
  const bn = layer.inferenceOnly && row.checked === 'true';
  return [
    h('span', { class: 'twisty' }), check,
    h('span', { class: 'name', attrs: { title: layer.name } }, layer.name),
    h('span', { class: 'class muted', attrs: { title: layer.className } }, layer.className),
    h('span', { class: 'shape muted', attrs: { title: `output ${layer.outputShape}` } }, layer.outputShape),
    h('span', { class: 'mode' }, bn ? h('span', { class: 'badge', attrs: { title: 'BatchNormalization runs in inference mode even when unfrozen: gamma and beta train, the moving mean and variance stay fixed.' } }, 'inference') : null),
    h('span', { class: 'params num' }, formatCount(layer.params)),
  ];
}

function rowLabel(row: TreeRow): string {
  if (row.kind === 'block') return `${row.block}, block of ${row.layers.length} layers, ${row.trainableLayers} trainable, ${formatCount(row.params)} parameters`;
  const { layer } = row;
  const bn = layer.inferenceOnly ? ', BatchNormalization: runs in inference mode when unfrozen' : '';
  return `${layer.name}, ${layer.className}, output ${layer.outputShape || 'unknown'}, ${formatCount(layer.params)} parameters${bn}`;
}
