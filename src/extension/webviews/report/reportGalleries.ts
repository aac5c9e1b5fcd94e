// The report's pictures: the most confident mistakes and every confusion-matrix cell's images, as embedded thumbnails.
import type { EvaluationSplit, RunSnapshot, SampleView } from '../../../protocol/webview';
import { baseName, formatPercent } from '../../../shared/format';
import { cellSamples, confidentMistakes } from '../../../../webview/shared/matrix';
import { heatmapDataUri, type HeatmapGrid } from '../../../shared/heatmap';
import { escapeHtml as e } from '../html';

export const MISTAKES = 24;
const PER_CELL = 8;
/** Pictures for cells in all: every cell of a 7-class matrix; larger matrices show their first cells, row by row. */
const CELL_PICTURES = 400;
/** The only image source the report accepts: what the host's thumbnail request makes. */
const JPEG_DATA_URI = /^data:image\/jpeg;base64,[A-Za-z0-9+/]+={0,2}$/;

/** Image path → JPEG data: URI. */
export type Thumbnails = ReadonlyMap<string, string>;

/** Heatmaps of the report's images (path → grid), and where they come from ("CAM on out_relu") or why there are none. */
export interface ReportHeatmaps { grids: ReadonlyMap<string, HeatmapGrid>; about: string }
export const NO_HEATMAPS: ReportHeatmaps = { grids: new Map(), about: '' };

/** Everything the galleries draw pictures from. */
export interface Pictures { thumbnails: Thumbnails; heatmaps: ReportHeatmaps }

export interface CellGallery { label: number; predicted: number; count: number; samples: SampleView[] }

/** Non-empty cells in matrix order, each with its most confident images, until the picture budget is spent. */
export function cellGalleries(split: EvaluationSplit): { shown: CellGallery[]; hidden: number } {
  const cells = split.confusionMatrix.flatMap((row, label) => row.map((count, predicted) => ({ label, predicted, count }))).filter((c) => c.count > 0);
  const shown: CellGallery[] = [];
  let budget = CELL_PICTURES;
  for (const cell of cells) {
    if (budget === 0) break;
    const samples = cellSamples(split.samples, cell.label, cell.predicted).slice(0, Math.min(PER_CELL, budget));
    budget -= samples.length;
    shown.push({ ...cell, samples });
  }
  return { shown, hidden: cells.length - shown.length };
}

/** The evaluated splits the report shows: validation, then test when there is one. */
export const reportSplits = (s: RunSnapshot) => (s.evaluation ? [s.evaluation.val, ...(s.evaluation.test ? [s.evaluation.test] : [])] : []);

/** Every image the report shows, once: what to make thumbnails of. */
export function reportImagePaths(s: RunSnapshot): string[] {
  if (s.header.kind === 'text') return [];
  const samples = reportSplits(s).flatMap((split) => [...confidentMistakes(split.samples, MISTAKES), ...cellGalleries(split).shown.flatMap((c) => c.samples)]);
  return [...new Set(samples.map((sample) => sample.path).filter(Boolean))];
}

/** The thumbnail, with its heatmap over it when there is one (shown by the report's toggle, REPORT_CSS). */
function picture(uri: string, description: string, heatmap: HeatmapGrid | undefined): string {
  const image = `<img src="${uri}" alt="${e(description)}">`;
  return heatmap ? `<span class="frame"><span class="picture">${image}<img class="heatmap" src="${heatmapDataUri(heatmap)}" alt=""></span></span>` : image;
}

function shot(sample: SampleView, classes: readonly string[], { thumbnails, heatmaps }: Pictures): string {
  const [file, truth, predicted] = [baseName(sample.path), classes[sample.label] ?? '?', classes[sample.predicted] ?? '?'];
  const description = `${file}: true ${truth}, predicted ${predicted} with ${formatPercent(sample.confidence)} confidence`;
  const uri = thumbnails.get(sample.path);
  const shown = uri && JPEG_DATA_URI.test(uri) ? picture(uri, description, heatmaps.grids.get(sample.path)) : `<span class="no-preview" role="img" aria-label="${e(description)}">no preview</span>`;
  return `<li title="${e(sample.path)}">${shown}<span class="caption"><span class="file">${e(file)}</span><span>true ${e(truth)}</span><span${sample.label === sample.predicted ? '' : ' class="wrong"'}>predicted ${e(predicted)}</span><span>confidence ${formatPercent(sample.confidence)}</span></span></li>`;
}

const shots = (samples: readonly SampleView[], classes: readonly string[], pictures: Pictures) =>
  samples.length ? `<ul class="shots">${samples.map((s) => shot(s, classes, pictures)).join('')}</ul>` : '<p class="empty">None.</p>';

export function mistakesGallery(split: EvaluationSplit, pictures: Pictures): string {
  return shots(confidentMistakes(split.samples, MISTAKES), split.classes, pictures);
}

/** The toggle for every heatmap of the report (a checkbox the CSS reads: the report runs no script), or why there are none. */
export function heatmapToggle({ grids, about }: ReportHeatmaps): string {
  if (!grids.size) return about ? `<p class="empty">No heatmaps: ${e(about)}</p>` : '';
  return `<p><label><input type="checkbox" id="show-heatmaps"> Show where the model looks</label> <span class="empty">(evidence for the predicted class: ${e(about)})</span></p>`;
}

export function cellGalleriesHtml(split: EvaluationSplit, pictures: Pictures): string {
  const { shown, hidden } = cellGalleries(split);
  const cells = shown.map((c) => {
    const what = c.label === c.predicted ? `${e(split.classes[c.label])} predicted correctly` : `true ${e(split.classes[c.label])}, predicted ${e(split.classes[c.predicted])}`;
    const more = c.count > c.samples.length ? `, ${c.samples.length} most confident shown` : '';
    return `<details${c.label === c.predicted ? '' : ' open'}><summary>${what} (${c.count} image${c.count === 1 ? '' : 's'}${more})</summary>${shots(c.samples, split.classes, pictures)}</details>`;
  });
  return cells.join('') + (hidden ? `<p class="empty">${hidden} more non-empty cells are not shown.</p>` : '');
}
