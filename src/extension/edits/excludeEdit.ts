// The text edit that adds one image to an experiment's data.exclude (the Data Health panel's Exclude), keeping the
// rest of the file as the user wrote it, so the change is one small undoable edit.
import { findNodeAtLocation, getNodeValue, modify, parseTree } from 'jsonc-parser/lib/esm/main.js';
import { formattingOf, type Edit } from './trainableEdit';

/** No edits when `entry` is listed already. */
export function excludeEdits(text: string, entry: string): Edit[] {
  const tree = parseTree(text);
  if (!tree || tree.type !== 'object') throw new Error('the experiment file is not a JSON object: fix it, then Exclude again');
  const list = findNodeAtLocation(tree, ['data', 'exclude']);
  const formattingOptions = formattingOf(text);
  if (list?.type !== 'array') return modify(text, ['data', 'exclude'], [entry], { formattingOptions });
  if ((getNodeValue(list) as unknown[]).includes(entry)) return [];
  return modify(text, ['data', 'exclude', -1], entry, { formattingOptions, isArrayInsertion: true });
}
