// "Show where the model looks": heatmap overlays on gallery pictures, asked of the extension only for the images
// shown and only while the toggle is on; each arrives once and is painted on every picture of that image.
import type { HeatmapView, ToDashboardWebview } from '../../src/protocol/webview';
import { heatmapColour, heatmapSource, upsample } from '../../src/shared/heatmap';
import { h } from '../common/dom';

type HeatmapsMessage = Extract<ToDashboardWebview, { type: 'run/heatmaps' }>;

/** The overlay's longer side in canvas pixels: the thumbnail's size, so upsampling is done once, here. */
const OVERLAY_SIDE = 120;

export class Heatmaps {
  on = false;
  private readonly known = new Map<string, HeatmapView>();
  private readonly asked = new Set<string>();
  private readonly overlays = new Map<string, Set<HTMLCanvasElement>>();
  /** What the last answer said about the maps (method and layer), or why there are none. */
  private about = '';

  constructor(private readonly request: (paths: string[]) => void, private readonly changed: () => void) {}

  /** A picture with its overlay: painted now when its heatmap is known, else when it arrives. */
  overlay(path: string, img: HTMLImageElement): HTMLElement {
    const canvas = h('canvas', { class: 'heatmap', attrs: { 'aria-hidden': 'true', width: OVERLAY_SIDE, height: OVERLAY_SIDE } });
    let set = this.overlays.get(path);
    if (!set) this.overlays.set(path, (set = new Set()));
    set.add(canvas);
    // the overlay takes the picture's proportions, so object-fit crops both alike
    const fit = () => img.naturalWidth && ((canvas.width = sideFor(img.naturalWidth, img.naturalHeight)), (canvas.height = sideFor(img.naturalHeight, img.naturalWidth)), this.paint(path, canvas));
    img.addEventListener('load', fit);
    if (img.complete) fit();
    this.paint(path, canvas);
    return h('div', { class: 'picture' }, img, canvas);
  }

  /** Asks for the heatmaps of these images that were never asked for. */
  want(paths: readonly string[]): void {
    const missing = [...new Set(paths)].filter((p) => !this.asked.has(p));
    if (!this.on || !missing.length) return;
    missing.forEach((p) => this.asked.add(p));
    this.request(missing);
  }

  receive(message: HeatmapsMessage): void {
    for (const map of message.heatmaps) {
      this.known.set(map.path, map);
      this.overlays.get(map.path)?.forEach((canvas) => (canvas.isConnected ? this.paint(map.path, canvas) : this.overlays.get(map.path)!.delete(canvas)));
    }
    const about = message.error ?? (message.method && message.layer ? heatmapSource(message.method, message.layer) : '');
    if (about !== this.about) {
      this.about = about;
      this.changed();
    }
  }

  /** One line for above the galleries: what the colours mean and where they come from. */
  legend(): HTMLElement {
    const scale = h('canvas', { class: 'heatmap-scale', attrs: { width: 100, height: 10, 'aria-hidden': 'true' } });
    const context = scale.getContext('2d');
    for (let x = 0; context && x < 100; x++) {
      const [r, g, b] = heatmapColour(x / 99);
      context.fillStyle = `rgb(${r},${g},${b})`;
      context.fillRect(x, 0, 1, 10);
    }
    return h('p', { class: 'muted heatmap-legend' }, 'Where the model finds evidence for the predicted class: none ', scale, ' strongest',
      this.about ? ` (${this.about})` : '');
  }

  private paint(path: string, canvas: HTMLCanvasElement): void {
    const map = this.known.get(path);
    const context = canvas.getContext('2d');
    if (!context) return;
    context.clearRect(0, 0, canvas.width, canvas.height);
    if (!map?.values || !map.rows || !map.cols) return;
    const fine = upsample({ rows: map.rows, cols: map.cols, values: map.values }, canvas.width, canvas.height);
    const image = context.createImageData(canvas.width, canvas.height);
    fine.forEach((v, i) => {
      const [r, g, b, a] = heatmapColour(v);
      image.data.set([r, g, b, Math.round(a * 255)], i * 4);
    });
    context.putImageData(image, 0, 0);
    canvas.title = `heatmap for ${map.label ?? 'the predicted class'}`;
  }
}

const sideFor = (side: number, other: number) => Math.max(1, Math.round((OVERLAY_SIDE * side) / Math.max(side, other)));
