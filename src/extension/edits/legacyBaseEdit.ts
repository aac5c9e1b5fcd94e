// The quick fix for an experiment file written before the catalog rename: base.model gets its new id and the file
// gets "version": 2 — one small undoable edit that keeps the rest of the text as the user wrote it.
import { findNodeAtLocation, modify, parse, parseTree, type Edit } from 'jsonc-parser/lib/esm/main.js';
import { EXPERIMENT_VERSION, legacyBaseRename, type BaseRename } from '../../shared/catalogRenames';
import { formattingOf } from './trainableEdit';

export interface LegacyBaseFix {
  rename: BaseRename;
  /** Where the old id stands in the text (the string, quotes included): what the warning underlines. */
  offset: number;
  length: number;
  edits: Edit[];
}

export function legacyBaseFix(text: string): LegacyBaseFix | undefined {
  const rename = legacyBaseRename(parse(text));
  const tree = parseTree(text);
  const model = tree && findNodeAtLocation(tree, ['base', 'model']);
  if (!rename || !model) return undefined;
  const version = modify(text, ['version'], EXPERIMENT_VERSION, { formattingOptions: formattingOf(text), getInsertionIndex: () => 0 });
  const renameEdit: Edit = { offset: model.offset, length: model.length, content: JSON.stringify(rename.to) };
  return { rename, offset: model.offset, length: model.length, edits: [...version, renameEdit] };
}
