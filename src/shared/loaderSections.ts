// How to load an export, one section per language: what the CLI prints after an export and the notebook the
// extension opens beside it.
import type { ExportResult } from '../protocol/host';

export interface LoaderSection {
  title: string;
  language: 'python' | 'csharp' | 'javascript';
  code: string;
}

export function loaderSections(result: ExportResult): LoaderSection[] {
  if (result.otherLanguages) {
    const { csharp, javascript } = result.otherLanguages;
    return [
      { title: 'Python (onnxruntime)', language: 'python', code: result.python },
      { title: 'C# (Microsoft.ML.OnnxRuntime)', language: 'csharp', code: csharp },
      { title: 'JavaScript (onnxruntime-node)', language: 'javascript', code: javascript },
    ];
  }
  const needs = result.format === 'hf' ? '' : ', with Pillow and NumPy';
  return [{ title: `Load it in Python (${result.loader}${needs})`, language: 'python', code: result.python }];
}
