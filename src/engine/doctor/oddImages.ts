// Images worth a look though nothing is wrong with their files: far from every other image (outliers), tiny,
// grey in a colour set, or of an extreme shape.
import type { OddImage } from '../../protocol/host';
import type { ImageFacts } from './imageFacts';

/** Shorter side below this: too little left to learn from once resized. */
export const TINY_SIDE = 32;
/** Longer side over shorter side beyond this: resizing to a square squashes it out of shape. */
export const EXTREME_ASPECT = 3;
/** Outliers: nearest-neighbour distance beyond the median by this many robust standard deviations (1.4826 × MAD). */
const OUTLIER_SPREAD = 3;
const MAD_TO_SD = 1.4826;
/** Neighbours whose mean distance makes an image's outlier score. */
export const K_NEAREST = 5;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Indices and scores (cosine distance to the k nearest others) of the rows far beyond the typical distance, farthest first. */
export function outlierRows(nearestSimilarity: Float32Array): { index: number; score: number }[] {
  const distance = Array.from(nearestSimilarity, (s) => 1 - s);
  if (distance.length < 3) return [];
  const centre = median(distance);
  const spread = MAD_TO_SD * median(distance.map((d) => Math.abs(d - centre)));
  const limit = centre + OUTLIER_SPREAD * Math.max(spread, 1e-6);
  return distance.flatMap((score, index) => (score > limit ? [{ index, score }] : [])).sort((a, b) => b.score - a.score);
}

/** Tiny, grey-in-colour and extreme-shape images (a set is a colour set when most of its images have colour). */
export function oddImages(files: readonly string[], facts: readonly (ImageFacts | undefined)[]): OddImage[] {
  const measured = facts.filter((f): f is ImageFacts => f !== undefined);
  const colourSet = measured.filter((f) => f[2] === 0).length > measured.length / 2;
  const odd: OddImage[] = [];
  facts.forEach((f, i) => {
    if (!f) return;
    const [width, height, grey] = f;
    const reasons: string[] = [];
    if (Math.min(width, height) < TINY_SIDE) reasons.push(`tiny (${width}×${height} px)`);
    if (grey && colourSet) reasons.push('grayscale in a colour set');
    const aspect = Math.max(width, height) / Math.max(1, Math.min(width, height));
    if (aspect > EXTREME_ASPECT) reasons.push(`extreme aspect ratio (${aspect.toFixed(1)}:1)`);
    if (reasons.length) odd.push({ file: files[i], reason: reasons.join(', ') });
  });
  return odd;
}
