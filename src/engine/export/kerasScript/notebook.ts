// The same sections as a Jupyter notebook (nbformat 4.4): a markdown cell with each title, a code cell with its code.
import type { Section } from './python';

const lines = (text: string) => text.split('\n').map((line, i, all) => (i < all.length - 1 ? `${line}\n` : line));

export function notebook(sections: Section[]): object {
  return {
    nbformat: 4,
    nbformat_minor: 4,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python' },
    },
    cells: sections.flatMap((s) => [
      { cell_type: 'markdown', metadata: {}, source: lines(`## ${s.title}`) },
      { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: lines(s.code) },
    ]),
  };
}
