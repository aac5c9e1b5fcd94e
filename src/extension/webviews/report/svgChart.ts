// Static line charts as SVG text, for the self-contained HTML report (no script, no external URL). No vscode import.
import type { Point } from '../../../../webview/shared/decimate';
import { escapeHtml } from '../html';

export interface SvgSeries { label: string; color: string; points: Point[]; thin?: boolean; dashed?: boolean }
export interface SvgChart { title: string; series: SvgSeries[]; markers: { x: number; label: string }[]; formatY: (y: number) => string; logY?: boolean }

const W = 640;
const H = 260;
const M = { left: 60, right: 16, top: 36, bottom: 32 };

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const step = [1, 2, 2.5, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(raw))).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

export function svgLineChart(chart: SvgChart): string {
  const all = chart.series.flatMap((s) => s.points).filter((p) => !chart.logY || p.y > 0);
  if (all.length === 0) return `<p class="empty">${escapeHtml(chart.title)}: no data yet.</p>`;
  const fy = (y: number) => (chart.logY ? Math.log10(y) : y);
  const xs = [...all.map((p) => p.x), ...chart.markers.map((m) => m.x)];
  const [x0, x1] = [Math.min(0, ...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...all.map((p) => fy(p.y))), Math.max(...all.map((p) => fy(p.y)))];
  if (y1 - y0 < 1e-12) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const px = (x: number) => M.left + ((x - x0) / (x1 - x0 || 1)) * (W - M.left - M.right);
  const py = (y: number) => H - M.bottom - ((fy(y) - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const yTicks = chart.logY ? niceTicks(Math.floor(y0), Math.ceil(y1), Math.max(1, Math.ceil(y1) - Math.floor(y0))).map((e) => 10 ** e) : niceTicks(y0, y1);
  const t = (x: number, y: number, text: string, anchor = 'middle', cls = 'tick') => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}" class="${cls}">${escapeHtml(text)}</text>`;
  const parts = [
    ...yTicks.filter((v) => fy(v) >= y0 - 1e-9 && fy(v) <= y1 + 1e-9).map((v) => `<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${py(v).toFixed(1)}" y2="${py(v).toFixed(1)}"/>${t(M.left - 6, py(v) + 4, chart.formatY(v), 'end')}`),
    ...niceTicks(x0, x1).map((v) => t(px(v), H - M.bottom + 16, String(v))),
    t((M.left + W - M.right) / 2, H - 4, 'epoch', 'middle', 'axis'),
    ...chart.markers.map((m) => `<line class="marker" x1="${px(m.x).toFixed(1)}" x2="${px(m.x).toFixed(1)}" y1="${M.top}" y2="${H - M.bottom}"/>${t(px(m.x) + 4, M.top + 10, m.label, 'start', 'marker-label')}`),
    ...chart.series.filter((s) => s.points.length > 0).map((s) => {
      const d = s.points.filter((p) => !chart.logY || p.y > 0).map((p, i) => `${i ? 'L' : 'M'}${px(p.x).toFixed(1)} ${py(p.y).toFixed(1)}`).join('');
      return `<path d="${d}" fill="none" stroke="${escapeHtml(s.color)}" stroke-width="${s.thin ? 1 : 2}"${s.thin ? ' stroke-opacity="0.35"' : ''}${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`;
    }),
    ...chart.series.map((s, i) => `<rect x="${M.left + i * 150}" y="8" width="12" height="12" fill="${escapeHtml(s.color)}"${s.thin ? ' fill-opacity="0.35"' : ''}/>${t(M.left + i * 150 + 18, 18, s.label, 'start', 'legend')}`),
  ];
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(chart.title)}"><title>${escapeHtml(chart.title)}</title>${parts.join('')}</svg>`;
}
