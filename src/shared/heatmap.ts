// How a class-activation heatmap is drawn, wherever it is drawn (the dashboard's canvas, the HTML report's and
// Predict's SVG): one colour scale and one upsampling. Pure: no DOM, no TensorFlow.

/** A coarse grid of evidence, 0…1, row-major (protocol/host.ts Heatmap). */
export interface HeatmapGrid {
  rows: number;
  cols: number;
  values: readonly number[];
}

/** Turbo-like stops (blue → green → yellow → red): read on any photo, whatever the editor's theme around it. */
const STOPS: readonly [number, number, number, number][] = [
  [0, 48, 18, 59],
  [0.25, 50, 134, 250],
  [0.5, 30, 220, 160],
  [0.7, 200, 235, 40],
  [0.85, 250, 130, 30],
  [1, 200, 20, 10],
];
/** Weak evidence stays see-through so the picture shows; the strongest covers it by about two thirds. */
const MAX_ALPHA = 0.65;
const CLEAR_BELOW = 0.1;

/** RGB 0–255 and alpha 0–1 for evidence `v` (0…1). */
export function heatmapColour(v: number): [number, number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0));
  const i = Math.max(
    1,
    STOPS.findIndex(([at]) => at >= x),
  );
  const [a, b] = [STOPS[i - 1], STOPS[i]];
  const t = (x - a[0]) / (b[0] - a[0]);
  const channel = (k: number) => Math.round(a[k] + (b[k] - a[k]) * t);
  return [channel(1), channel(2), channel(3), Math.max(0, (x - CLEAR_BELOW) / (1 - CLEAR_BELOW)) * MAX_ALPHA];
}

/** The CSS colour of `v`, for legends and SVG. */
export function heatmapCss(v: number): string {
  const [r, g, b, a] = heatmapColour(v);
  return `rgba(${r},${g},${b},${a.toFixed(3)})`;
}

/** Bilinear upsampling to width × height with cell centres aligned (OpenCV's resize): what the grid means between cells. */
export function upsample({ rows, cols, values }: HeatmapGrid, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  const at = (r: number, c: number) => values[Math.min(rows - 1, Math.max(0, r)) * cols + Math.min(cols - 1, Math.max(0, c))];
  for (let y = 0; y < height; y++) {
    const gy = Math.min(rows - 1, Math.max(0, ((y + 0.5) * rows) / height - 0.5));
    const [r, fy] = [Math.floor(gy), gy - Math.floor(gy)];
    for (let x = 0; x < width; x++) {
      const gx = Math.min(cols - 1, Math.max(0, ((x + 0.5) * cols) / width - 0.5));
      const [c, fx] = [Math.floor(gx), gx - Math.floor(gx)];
      const top = at(r, c) * (1 - fx) + at(r, c + 1) * fx;
      const bottom = at(r + 1, c) * (1 - fx) + at(r + 1, c + 1) * fx;
      out[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

const hex = ([r, g, b]: number[]) => `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;

/**
 * A standalone SVG of the heatmap, stretched over its image (preserveAspectRatio none), for places without a canvas
 * (a static report, a script-free view): one square per cell, blurred by half a cell, the border cells repeated
 * outside the picture so the blur does not fade its edges. A few KB per image.
 */
export function heatmapSvg({ rows, cols, values }: HeatmapGrid): string {
  const rects: string[] = [];
  for (let r = -1; r <= rows; r++) {
    for (let c = -1; c <= cols; c++) {
      const [red, green, blue, alpha] = heatmapColour(values[Math.min(rows - 1, Math.max(0, r)) * cols + Math.min(cols - 1, Math.max(0, c))]);
      if (alpha > 0) rects.push(`<rect x="${c}" y="${r}" width="1" height="1" fill="${hex([red, green, blue])}" fill-opacity="${alpha.toFixed(2)}"/>`);
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${cols} ${rows}" preserveAspectRatio="none"><filter id="b" x="-1" y="-1" width="3" height="3"><feGaussianBlur stdDeviation="0.45"/></filter><g filter="url(#b)">${rects.join('')}</g></svg>`;
}

/** The SVG as a data: URI for an <img>. */
export const heatmapDataUri = (grid: HeatmapGrid) => `data:image/svg+xml;base64,${btoa(heatmapSvg(grid))}`;

/** Where a set of heatmaps comes from, in words: "CAM on out_relu". */
export const heatmapSource = (method: 'cam' | 'grad-cam', layer: string) => `${method === 'cam' ? 'CAM' : 'Grad-CAM'} on ${layer}`;
