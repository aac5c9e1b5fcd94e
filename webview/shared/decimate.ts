// Keeps a 20,000-batch trace cheap to draw without hiding spikes: each bucket keeps its lowest and highest point.

export interface Point { x: number; y: number }

/**
 * At most `2 × buckets + 2` points, in x order, with every bucket's minimum and maximum; the first and last points
 * and the global extremes always survive. Inputs already that short come back unchanged (copied).
 */
export function decimateMinMax(points: readonly Point[], buckets: number): Point[] {
  const count = Math.max(1, Math.floor(buckets));
  if (points.length <= 2 * count) return points.slice();
  const size = Math.ceil(points.length / count);
  const kept: Point[] = [];
  for (let start = 0; start < points.length; start += size) {
    const end = Math.min(points.length, start + size);
    let low = start;
    let high = start;
    for (let i = start + 1; i < end; i++) {
      if (points[i].y < points[low].y) low = i;
      if (points[i].y > points[high].y) high = i;
    }
    // the first and last buckets also keep the trace's end points, so the line spans the same x range
    pushInOrder(kept, points, [low, high, ...(start === 0 ? [0] : []), ...(end === points.length ? [end - 1] : [])]);
  }
  return kept;
}

function pushInOrder(kept: Point[], points: readonly Point[], indices: number[]): void {
  for (const i of [...new Set(indices)].sort((a, b) => a - b)) kept.push(points[i]);
}
