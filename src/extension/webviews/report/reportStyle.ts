// The report's look: readable printed or on screen, light or dark (following the reader's system setting).

export const REPORT_PALETTE = { train: '#1f77b4', val: '#e8710a', rate: '#7b5ea7' } as const;

/** The matrix's colours in the report's light and dark schemes (each cell's text colour is computed from them). */
export const REPORT_MATRIX = {
  light: { background: '#ffffff', foreground: '#1e1e1e', correct: REPORT_PALETTE.train, wrong: REPORT_PALETTE.val },
  dark: { background: '#1e1e1e', foreground: '#d4d4d4', correct: REPORT_PALETTE.train, wrong: REPORT_PALETTE.val },
} as const;

export const REPORT_CSS = `
:root { color-scheme: light dark; --fg: #1e1e1e; --bg: #ffffff; --muted: #616161; --line: #d4d4d4; --hit: 31,119,180; --miss: 232,113,10; }
@media (prefers-color-scheme: dark) { :root { --fg: #d4d4d4; --bg: #1e1e1e; --muted: #a0a0a0; --line: #3c3c3c; } :root .matrix td { background: var(--bg-d); color: var(--fg-d); } }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 2rem auto; max-width: 70rem; padding: 0 1rem; }
h1 { margin-bottom: 0; } .meta { color: var(--muted); margin-top: .25rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; } th, td { border: 1px solid var(--line); padding: .2rem .5rem; text-align: left; }
td { font-variant-numeric: tabular-nums; }
figure { margin: 0 0 1rem; } figcaption { font-weight: 600; margin-bottom: .25rem; } svg { max-width: 100%; height: auto; font: 11px system-ui, sans-serif; }
svg .tick, svg .axis, svg .legend { fill: var(--fg); } svg .grid { stroke: var(--line); }
svg .marker { stroke: var(--muted); stroke-dasharray: 3 3; } svg .marker-label { fill: var(--muted); }
.matrix { overflow: auto; max-height: 48rem; } .matrix td { text-align: center; min-width: 2rem; }
.matrix td { background: var(--bg-l); color: var(--fg-l); } .matrix td.miss { font-weight: 600; }
.matrix th.col { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
.empty { color: var(--muted); }
.shots { display: flex; flex-wrap: wrap; gap: .75rem; list-style: none; padding: 0; margin: .5rem 0 1rem; }
.shots li { width: 8rem; font-size: 12px; } .shots img, .no-preview { display: block; width: 96px; height: 96px; object-fit: contain; }
.no-preview { border: 1px dashed var(--line); color: var(--muted); text-align: center; line-height: 96px; }
.caption { display: flex; flex-direction: column; overflow-wrap: anywhere; } .caption .file { font-weight: 600; } .caption .wrong { color: rgb(var(--miss)); }
details { margin: .25rem 0; } summary { cursor: pointer; }
.shots .frame { display: flex; width: 96px; height: 96px; align-items: center; justify-content: center; }
.shots .picture { position: relative; line-height: 0; } .shots .picture img { width: auto; height: auto; max-width: 96px; max-height: 96px; }
.shots img.heatmap { display: none; position: absolute; inset: 0; width: 100%; height: 100%; max-width: none; max-height: none; }
body:has(#show-heatmaps:checked) .shots img.heatmap { display: block; }
`;
