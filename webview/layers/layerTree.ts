// The layers tree as rows: blocks (tri-state) and their layers, filtered and expanded; plus ARIA tree navigation.
import type { LayerView } from '../../src/protocol/webview';
import { groupBlocks } from '../../src/shared/freeze';

export type Checked = 'true' | 'false' | 'mixed';
interface RowBase { id: string; level: 1 | 2; setSize: number; posInSet: number }
export interface BlockRow extends RowBase { kind: 'block'; block: string; layers: LayerView[]; checked: Checked; expanded: boolean; trainableLayers: number; params: number }
export interface LayerRow extends RowBase { kind: 'layer'; layer: LayerView; checked: Checked; blockId: string }
export type TreeRow = BlockRow | LayerRow;

export const blockId = (block: string) => `block:${block}`;
export const layerId = (layer: LayerView) => `layer:${layer.index}`;

export function blockChecked(layers: readonly LayerView[], trainable: ReadonlySet<string>): Checked {
  const on = layers.filter((l) => trainable.has(l.name)).length;
  return on === 0 ? 'false' : on === layers.length ? 'true' : 'mixed';
}

/** Visible rows in order. A filter matches layer or block names (case-insensitive) and opens matching blocks. */
export function treeRows(layers: readonly LayerView[], trainable: ReadonlySet<string>, expanded: ReadonlySet<string>, filter: string): TreeRow[] {
  const query = filter.trim().toLowerCase();
  const blocks = groupBlocks(layers).map((b) => ({
    ...b, shown: !query || b.block.toLowerCase().includes(query) ? b.layers : b.layers.filter((l) => l.name.toLowerCase().includes(query)),
  })).filter((b) => b.shown.length > 0);
  return blocks.flatMap((b, i): TreeRow[] => {
    const id = blockId(b.block);
    const open = query !== '' || expanded.has(id);
    const row: BlockRow = {
      kind: 'block', id, level: 1, setSize: blocks.length, posInSet: i + 1, block: b.block, layers: b.layers, expanded: open,
      checked: blockChecked(b.layers, trainable), trainableLayers: b.layers.filter((l) => trainable.has(l.name)).length,
      params: b.layers.reduce((sum, l) => sum + l.params, 0),
    };
    if (!open) return [row];
    return [row, ...b.shown.map((layer, j): LayerRow => ({
      kind: 'layer', id: layerId(layer), level: 2, setSize: b.shown.length, posInSet: j + 1, layer, blockId: id,
      checked: trainable.has(layer.name) ? 'true' : 'false',
    }))];
  });
}

export type TreeKeyResult = { focus?: string; expand?: string; collapse?: string };

/** What an ARIA tree does on a navigation key (https://www.w3.org/WAI/ARIA/apg/patterns/treeview/). */
export function treeKey(rows: readonly TreeRow[], current: string | undefined, key: string): TreeKeyResult | undefined {
  if (rows.length === 0) return undefined;
  const i = Math.max(0, rows.findIndex((r) => r.id === current));
  const row = rows[i];
  switch (key) {
    case 'ArrowDown': return { focus: rows[Math.min(rows.length - 1, i + 1)].id };
    case 'ArrowUp': return { focus: rows[Math.max(0, i - 1)].id };
    case 'Home': return { focus: rows[0].id };
    case 'End': return { focus: rows[rows.length - 1].id };
    case 'ArrowRight':
      if (row.kind === 'block') return row.expanded ? { focus: rows[i + 1]?.id ?? row.id } : { expand: row.id, focus: row.id };
      return { focus: row.id };
    case 'ArrowLeft':
      if (row.kind === 'block') return row.expanded ? { collapse: row.id, focus: row.id } : { focus: row.id };
      return { focus: row.blockId };
    default: return undefined;
  }
}
