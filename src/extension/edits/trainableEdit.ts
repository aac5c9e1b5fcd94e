// The text edits that set one field of phases[i] (its trainable layers, its learning rate) in an experiment file,
// keeping the rest of the text (and its formatting) as the user wrote it, so the change lands as one small undoable edit.
// the ESM build: jsonc-parser's UMD main hides its requires from the bundler
import { applyEdits, findNodeAtLocation, modify, parseTree, type Edit } from 'jsonc-parser/lib/esm/main.js';
import type { PhaseSpec, TrainableSpec } from '../../protocol/experiment';

export type { Edit };

/** The file's own indentation and line ends, so an edit looks like the user's text. */
export function formattingOf(text: string): { insertSpaces: boolean; tabSize: number; eol: string } {
  return { ...indentationOf(text), eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

function indentationOf(text: string): { insertSpaces: boolean; tabSize: number } {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return indent.startsWith('\t') ? { insertSpaces: false, tabSize: 1 } : { insertSpaces: true, tabSize: indent.length };
}

export function phaseFieldEdits<K extends 'trainable' | 'learningRate'>(text: string, phaseIndex: number, field: K, value: PhaseSpec[K]): Edit[] {
  const phases = findNodeAtLocation(parseTree(text) ?? { type: 'null', offset: 0, length: 0 }, ['phases']);
  const count = phases?.type === 'array' ? (phases.children?.length ?? 0) : 0;
  if (!Number.isInteger(phaseIndex) || phaseIndex < 0 || phaseIndex >= count) {
    throw new Error(`the experiment has ${count} phase${count === 1 ? '' : 's'}; there is no phase ${phaseIndex + 1} to change`);
  }
  return modify(text, ['phases', phaseIndex, field], value, { formattingOptions: formattingOf(text) });
}

export function trainableEdits(text: string, phaseIndex: number, spec: TrainableSpec): Edit[] {
  return phaseFieldEdits(text, phaseIndex, 'trainable', spec);
}

/** The text after the edit: what tests and a preview check. */
export function withTrainable(text: string, phaseIndex: number, spec: TrainableSpec): string {
  return applyEdits(text, trainableEdits(text, phaseIndex, spec));
}
