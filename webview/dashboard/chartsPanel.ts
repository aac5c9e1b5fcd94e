// Loss, accuracy and learning-rate charts of one run, redrawn at most once per frame however fast metrics arrive.
import type { RunSnapshot } from '../../src/protocol/webview';
import { h } from '../common/dom';
import { LineChart, roundLogTick, type LineSeries } from '../common/lineChart';
import { decimateMinMax, type Point } from '../shared/decimate';
import { formatMetric, formatPercent, formatRate } from '../../src/shared/format';
import { buildCurves } from '../shared/series';
import { noteDrawn, noteReceived } from './paintLatency';

export class ChartsPanel {
  readonly element: HTMLElement;
  private readonly loss: LineChart;
  private readonly accuracy: LineChart;
  private readonly rate: LineChart;
  private frame = 0;

  constructor(private readonly run: () => RunSnapshot | undefined, onExport: (chart: string, dataUrl: string) => void) {
    this.loss = new LineChart({ id: 'loss', title: 'Loss', formatY: (y) => formatMetric(y), formatTick: (y) => formatMetric(y, 2) }, onExport);
    this.accuracy = new LineChart({ id: 'accuracy', title: 'Accuracy', formatY: (y) => formatPercent(y), formatTick: (y) => formatPercent(y, 0) }, onExport);
    this.rate = new LineChart({ id: 'learning-rate', title: 'Learning rate', formatY: formatRate, formatTick: formatRate, keepTick: roundLogTick, logY: true }, onExport);
    this.element = h('section', { class: 'charts', attrs: { 'aria-label': 'Training curves' } }, this.loss.element, this.accuracy.element, this.rate.element);
  }

  /** New metrics arrived: redraw on the next frame. */
  schedule(): void {
    noteReceived();
    if (!this.frame) this.frame = requestAnimationFrame(() => ((this.frame = 0), this.draw()));
  }

  applyTheme(): void {
    [this.loss, this.accuracy, this.rate].forEach((c) => c.applyTheme());
  }

  private draw(): void {
    const run = this.run();
    if (!run) return;
    const c = buildCurves(run.header.phases, run.epochs, run.batches, { ended: run.state.state !== 'running', endings: run.endings });
    // about one point per two pixels keeps a 20,000-batch trace as cheap as a short one
    const buckets = Math.max(100, Math.floor(this.loss.element.clientWidth / 2));
    const trace = (points: Point[]) => decimateMinMax(points, buckets);
    const pair = (batch: Point[], train: Point[], val: Point[]): LineSeries[] => [
      { label: 'train (per batch)', role: 'trace', points: trace(batch) },
      { label: 'train', role: 'train', points: train },
      { label: 'validation', role: 'val', points: val, dashed: true },
    ];
    this.loss.setData(pair(c.batchLoss, c.trainLoss, c.valLoss), c.boundaries, c.end);
    this.accuracy.setData(pair(c.batchAccuracy, c.trainAccuracy, c.valAccuracy), c.boundaries, c.end);
    this.rate.setData([{ label: 'learning rate', role: 'rate', points: trace(c.learningRate) }], c.boundaries, c.end);
    noteDrawn();
  }
}
