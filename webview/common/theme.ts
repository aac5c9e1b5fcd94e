// Colours come from the VS Code theme at run time and are re-read when the user switches themes.
import type { MatrixPalette } from '../shared/contrast';

/** A `--vscode-*` (or any) CSS variable's current value, or `fallback` when the theme does not set it. */
export function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export interface ChartTheme {
  foreground: string; muted: string; grid: string; background: string; marker: string; series: string[];
  train: string; val: string; rate: string;
  /** Opacity of the per-batch trace: faint behind the epoch lines, but not so faint it vanishes on a high-contrast black. */
  traceAlpha: number;
}

export function chartTheme(): ChartTheme {
  const blue = cssVar('--vscode-charts-blue', '#3794ff');
  const orange = cssVar('--vscode-charts-orange', '#d18616');
  const purple = cssVar('--vscode-charts-purple', '#b180d7');
  return {
    foreground: cssVar('--vscode-charts-foreground', cssVar('--vscode-foreground', '#cccccc')),
    muted: cssVar('--vscode-descriptionForeground', '#999999'),
    grid: cssVar('--vscode-charts-lines', 'rgba(128, 128, 128, 0.3)'),
    background: cssVar('--vscode-editor-background', '#1e1e1e'),
    marker: cssVar('--vscode-charts-foreground', '#cccccc'),
    train: blue, val: orange, rate: purple, traceAlpha: document.body.classList.contains('vscode-high-contrast') ? 0.75 : 0.35,
    series: [blue, orange, cssVar('--vscode-charts-green', '#89d185'), purple, cssVar('--vscode-charts-red', '#f14c4c'), cssVar('--vscode-charts-yellow', '#cca700')],
  };
}

/** Correct predictions in the theme's blue, mistakes in its red (its orange is a dark blue in Light High Contrast). */
export function matrixPalette(): MatrixPalette {
  return {
    background: cssVar('--vscode-editor-background', '#1e1e1e'), foreground: cssVar('--vscode-editor-foreground', cssVar('--vscode-foreground', '#cccccc')),
    correct: cssVar('--vscode-charts-blue', '#3794ff'), wrong: cssVar('--vscode-charts-red', '#f14c4c'),
  };
}

/** Calls `onChange` whenever VS Code swaps the theme (it rewrites the body class and the root style variables). */
export function onThemeChange(onChange: () => void): void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
