// One themed Chart.js line chart with phase markers, exact-value tooltips and PNG export.
import { Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip, type ChartDataset, type Plugin } from 'chart.js';
import type { Point } from '../shared/decimate';
import { withAlpha } from './color';
import { button } from './components';
import { h } from './dom';
import { chartTheme, type ChartTheme } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend);

/** trace: the faint per-batch line; train/val/rate: per-epoch lines; a number: the nth run in a comparison. */
export type SeriesRole = 'trace' | 'train' | 'val' | 'rate' | number;
export interface LineSeries { label: string; role: SeriesRole; points: Point[]; dashed?: boolean }
export interface Marker { x: number; label: string }
export interface ChartSpec {
  id: string; title: string; logY?: boolean;
  /** Exact values (tooltips, accessible name). */
  formatY: (y: number) => string;
  /** Axis ticks: short. */
  formatTick: (y: number) => string;
  /** Which generated y ticks (and grid lines) to keep; all when absent. */
  keepTick?: (y: number) => boolean;
}

/** Log-axis ticks at 1, 2 and 5 × 10^k only (Chart.js also makes 3, 4, 6…, which crowds the axis). */
export const roundLogTick = (y: number) => [1, 2, 5].some((m) => Math.abs(y / 10 ** Math.floor(Math.log10(y)) - m) < 1e-6);
// More epoch markers than this hide the per-epoch dots (the line stays; hovering still shows each value).
const MAX_DOTS = 40;

type Line = ChartDataset<'line', Point[]>;

// Draws the theme background (so exported PNGs are readable) and the phase-boundary markers.
const decorations: Plugin<'line'> = {
  id: 'transferLabDecorations',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = (chart as ThemedChart).theme.background;
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
  afterDatasetsDraw(chart) {
    const { ctx, chartArea, scales } = chart;
    const themed = chart as ThemedChart;
    ctx.save();
    ctx.strokeStyle = themed.theme.marker;
    ctx.fillStyle = themed.theme.marker;
    ctx.setLineDash([4, 4]);
    ctx.font = '11px sans-serif';
    for (const marker of themed.markers) {
      const x = scales.x.getPixelForValue(marker.x);
      if (x < chartArea.left || x > chartArea.right) continue;
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      // the label goes on whichever side of the line has room
      const right = x + 4 + ctx.measureText(marker.label).width <= chartArea.right;
      ctx.textAlign = right ? 'left' : 'right';
      ctx.fillText(marker.label, right ? x + 4 : x - 4, chartArea.top + 12);
    }
    ctx.restore();
  },
};

type ThemedChart = Chart<'line', Point[]> & { theme: ChartTheme; markers: Marker[] };

export class LineChart {
  readonly element: HTMLElement;
  private readonly canvas = h('canvas', { attrs: { role: 'img' } });
  private readonly chart: ThemedChart;

  constructor(private readonly spec: ChartSpec, onExport: (chart: string, dataUrl: string) => void) {
    this.element = h('figure', { class: 'chart' },
      h('figcaption', {}, h('span', { class: 'chart-title' }, spec.title), button('PNG', () => onExport(spec.id, this.toPng()), { secondary: true, title: `Save the ${spec.title.toLowerCase()} chart as a PNG image`, name: `${spec.title} chart as PNG` })),
      h('div', { class: 'chart-canvas' }, this.canvas));
    this.canvas.setAttribute('aria-label', `${spec.title} chart: no data yet`);
    this.chart = new Chart(this.canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [decorations],
      options: {
        animation: false, parsing: false, normalized: true, responsive: true, maintainAspectRatio: false, spanGaps: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: { x: { type: 'linear', min: 0, title: { display: true, text: 'epoch' } }, y: {
            type: spec.logY ? 'logarithmic' : 'linear', ticks: { callback: (v) => spec.formatTick(Number(v)) },
            afterBuildTicks: (scale) => { if (spec.keepTick) scale.ticks = scale.ticks.filter((t) => spec.keepTick!(t.value)); },
          },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2 } },
          tooltip: { callbacks: { title: (items) => `epoch ${Number(items[0]?.parsed.x ?? 0).toFixed(2).replace(/\.00$/, '')}`, label: (item) => `${item.dataset.label}: ${spec.formatY(item.parsed.y ?? NaN)}` } },
        },
      },
    }) as ThemedChart;
    this.chart.markers = [];
    this.applyTheme();
  }

  /** Replaces the lines (same labels: data only, so hidden series stay hidden); `xMax` ends the axis. */
  setData(series: readonly LineSeries[], markers: readonly Marker[], xMax?: number): void {
    const datasets = this.chart.data.datasets as Line[];
    if (datasets.length !== series.length || datasets.some((d, i) => d.label !== series[i].label)) {
      this.chart.data.datasets = series.map((s) => this.dataset(s));
    } else {
      series.forEach((s, i) => (datasets[i].data = s.points));
    }
    for (const d of this.chart.data.datasets as (Line & { role?: SeriesRole })[]) d.pointRadius = d.role === 'trace' || d.role === 'rate' || d.data.length > MAX_DOTS ? 0 : 2.5;
    this.chart.options.scales!.x!.max = xMax;
    this.chart.markers = [...markers];
    this.chart.update('none');
    this.canvas.setAttribute('aria-label', this.describe(series, markers));
  }

  /** Re-reads the theme's colours (after a theme switch). */
  applyTheme(): void {
    const theme = chartTheme();
    this.chart.theme = theme;
    const { scales, plugins } = this.chart.options;
    for (const scale of [scales!.x!, scales!.y!]) {
      scale.ticks!.color = theme.foreground;
      scale.grid!.color = theme.grid;
      if ('title' in scale && scale.title) scale.title.color = theme.muted;
    }
    plugins!.legend!.labels!.color = theme.foreground;
    (this.chart.data.datasets as (Line & { role?: SeriesRole })[]).forEach((d) => Object.assign(d, this.colours(d.role ?? 'train', theme)));
    this.chart.update('none');
  }

  toPng(): string {
    return this.canvas.toDataURL('image/png');
  }

  private dataset(s: LineSeries): Line & { role: SeriesRole } {
    const trace = s.role === 'trace';
    return {
      label: s.label, data: s.points, role: s.role, borderWidth: trace ? 1 : 2, pointHoverRadius: 4,
      borderDash: s.dashed ? [6, 4] : [], stepped: s.role === 'rate' ? 'before' : false, ...this.colours(s.role, this.chart.theme),
    };
  }

  private colours(role: SeriesRole, theme: ChartTheme): Pick<Line, 'borderColor' | 'backgroundColor'> {
    const base = typeof role === 'number' ? theme.series[role % theme.series.length] : role === 'val' ? theme.val : role === 'rate' ? theme.rate : theme.train;
    const colour = role === 'trace' ? withAlpha(base, theme.traceAlpha) : base;
    return { borderColor: colour, backgroundColor: colour };
  }

  private describe(series: readonly LineSeries[], markers: readonly Marker[]): string {
    const lines = series.filter((s) => s.role !== 'trace' && s.points.length > 0);
    const last = lines.map((s) => `${s.label} ${this.spec.formatY(s.points[s.points.length - 1].y)}`);
    // the epoch too: once a loss reads 0.0000, only it tells a listener that the chart moved on
    const epoch = Math.max(...lines.map((s) => s.points[s.points.length - 1].x));
    // the markers too (a phase beginning, a restored best epoch): a listener cannot see the dashed lines
    const marks = markers.length ? `; marked: ${markers.map((m) => m.label).join(', ')}` : '';
    return `${this.spec.title} chart: ${last.length ? `latest (epoch ${epoch}) ${last.join(', ')}` : 'no data yet'}${marks}`;
  }
}
