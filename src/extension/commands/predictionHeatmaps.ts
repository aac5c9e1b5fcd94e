// Predict's "Show where the model looks": a script-free page with each image beside its heatmap for the top class.
// No vscode import: unit-tested.
import { basename } from 'node:path';
import type { HeatmapsResult } from '../../protocol/host';
import { heatmapDataUri, heatmapSource } from '../../shared/heatmap';
import { escapeHtml as e } from '../webviews/html';

const JPEG_DATA_URI = /^data:image\/jpeg;base64,[A-Za-z0-9+/]+={0,2}$/;
/** Pictures in the page: large enough to see what the heatmap points at. */
export const PREDICTION_PICTURE_SIDE = 224;

const STYLE = `
body { font: var(--vscode-font-size, 13px) var(--vscode-font-family, system-ui, sans-serif); color: var(--vscode-foreground); padding: 0 12px; }
.muted { color: var(--vscode-descriptionForeground); }
ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 20px; }
.pair { display: flex; gap: 6px; }
.picture { position: relative; line-height: 0; border: 1px solid var(--vscode-widget-border, var(--vscode-contrastBorder, transparent)); }
.picture img { max-width: ${PREDICTION_PICTURE_SIDE}px; max-height: ${PREDICTION_PICTURE_SIDE}px; }
.picture img.heatmap { position: absolute; inset: 0; width: 100%; height: 100%; max-width: none; max-height: none; }
.error { color: var(--vscode-errorForeground); }
`;

/** The page: `thumbnails` (path → JPEG data: URI, from the host) are the only pictures; `nonce` admits its one style element. */
export function predictionHeatmapsHtml(run: string, result: HeatmapsResult, thumbnails: ReadonlyMap<string, string>, nonce: string): string {
  const items = result.heatmaps.map((map) => {
    const uri = thumbnails.get(map.path);
    const file = basename(map.path);
    if (!map.values || !map.rows || !map.cols || !uri || !JPEG_DATA_URI.test(uri)) return `<li><strong>${e(file)}</strong><p class="error">No heatmap: ${e(map.error ?? 'the image could not be read')}</p></li>`;
    const what = `${map.label} (${((map.confidence ?? 0) * 100).toFixed(1)}%)`;
    const image = `<img src="${uri}" alt="${e(file)}">`;
    return `<li><div class="pair"><span class="picture">${image}</span><span class="picture">${image}<img class="heatmap" src="${heatmapDataUri(map as Required<typeof map>)}" alt="where the model finds ${e(map.label ?? '')} in ${e(file)}"></span></div>`
      + `<p><strong>${e(file)}</strong>: ${e(what)}</p></li>`;
  });
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'nonce-${e(nonce)}'">
<title>Where ${e(run)} looks</title><style nonce="${e(nonce)}">${STYLE}</style></head>
<body><h2>Where run ${e(run)} looks</h2>
<p class="muted">Each image beside its heatmap for the class the model chose: the warmer the colour, the stronger the evidence for that class there (${e(heatmapSource(result.method, result.layer))}).</p>
<ul>${items.join('')}</ul></body></html>`;
}
