// The report's pictures: the most confident mistakes and every confusion-matrix cell's images, as embedded thumbnails.
import type { EvaluationSplit, RunSnapshot, SampleView } from '../../../protocol/webview';
import { baseName, formatPercent } from '../../../shared/format';
import { cellSamples, confidentMistakes } from '../../../../webview/shared/matrix';
import { escapeHtml as e } from '../html';

export const MISTAKES = 24;
const PER_CELL = 8;
/** Pictures for cells in all: every cell of a 7-class matrix; larger matrices show their first cells, row by row. */
const CELL_PICTURES = 400;
/** The only image source the report accepts: what the host's thumbnail request makes. */
const JPEG_DATA_URI = /^data:image\/jpeg;base64,[A-Za-z0-9+/]+={0,2}$/;

/** Image path → JPEG data: URI. */
export type Thumbnails = ReadonlyMap<string, string>;

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

function shot(sample: SampleView, classes: readonly string[], thumbnails: Thumbnails): string {
  const [file, truth, predicted] = [baseName(sample.path), classes[sample.label] ?? '?', classes[sample.predicted] ?? '?'];
  const description = `${file}: true ${truth}, predicted ${predicted} with ${formatPercent(sample.confidence)} confidence`;
  const uri = thumbnails.get(sample.path);
  const picture = uri && JPEG_DATA_URI.test(uri) ? `<img src="${uri}" alt="${e(description)}">` : `<span class="no-preview" role="img" aria-label="${e(description)}">no preview</span>`;
  return `<li title="${e(sample.path)}">${picture}<span class="caption"><span class="file">${e(file)}</span><span>true ${e(truth)}</span><span${sample.label === sample.predicted ? '' : ' class="wrong"'}>predicted ${e(predicted)}</span><span>confidence ${formatPercent(sample.confidence)}</span></span></li>`;
}

const shots = (samples: readonly SampleView[], classes: readonly string[], thumbnails: Thumbnails) =>
  samples.length ? `<ul class="shots">${samples.map((s) => shot(s, classes, thumbnails)).join('')}</ul>` : '<p class="empty">None.</p>';

export function mistakesGallery(split: EvaluationSplit, thumbnails: Thumbnails): string {
  return shots(confidentMistakes(split.samples, MISTAKES), split.classes, thumbnails);
}

export function cellGalleriesHtml(split: EvaluationSplit, thumbnails: Thumbnails): string {
  const { shown, hidden } = cellGalleries(split);
  const cells = shown.map((c) => {
    const what = c.label === c.predicted ? `${e(split.classes[c.label])} predicted correctly` : `true ${e(split.classes[c.label])}, predicted ${e(split.classes[c.predicted])}`;
    const more = c.count > c.samples.length ? `, ${c.samples.length} most confident shown` : '';
    return `<details${c.label === c.predicted ? '' : ' open'}><summary>${what} (${c.count} image${c.count === 1 ? '' : 's'}${more})</summary>${shots(c.samples, split.classes, thumbnails)}</details>`;
  });
  return cells.join('') + (hidden ? `<p class="empty">${hidden} more non-empty cells are not shown.</p>` : '');
}
