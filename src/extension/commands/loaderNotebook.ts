// The code that loads an export, as notebook cells (a title, then per language a heading and a runnable cell), so
// the Python runs where it opens instead of in an untitled .py file. No vscode import: unit-tested.
import type { ExportResult } from '../../protocol/host';
import { loaderSections } from '../../shared/loaderSections';

export interface LoaderCell {
  kind: 'markdown' | 'code';
  language: string;
  value: string;
}

export function loaderCells(result: ExportResult): LoaderCell[] {
  const what = result.otherLanguages ? 'Load the ONNX model and classify a photo' : `Load the ${result.title}`;
  const intro: LoaderCell = { kind: 'markdown', language: 'markdown', value: `# ${what}\n\n\`${result.file}\`` };
  return [intro, ...loaderSections(result).flatMap((section): LoaderCell[] => [
    { kind: 'markdown', language: 'markdown', value: `## ${section.title}` },
    { kind: 'code', language: section.language, value: section.code },
  ])];
}
