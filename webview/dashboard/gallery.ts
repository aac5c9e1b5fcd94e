// Galleries of evaluated examples (images, or the start of each text): one confusion-matrix cell's, and the
// model's most confident mistakes.
import type { SampleView } from '../../src/protocol/webview';
import { h } from '../common/dom';
import { baseName, formatPercent } from '../../src/shared/format';
import type { Heatmaps } from './heatmaps';

const MAX_SHOWN = 60;

/**
 * `open` shows an image full size (in a VS Code editor): a click or Enter on its thumbnail. With `heatmaps` on, each
 * picture carries its heatmap (asked for here, for the pictures shown only).
 */
export function gallery(samples: readonly SampleView[], classes: readonly string[], empty: string, open?: (path: string) => void, heatmaps?: Heatmaps): HTMLElement {
  if (samples.length === 0) return h('p', { class: 'muted' }, empty);
  const items = samples.slice(0, MAX_SHOWN).map((s) => {
    const file = baseName(s.path);
    const truth = classes[s.label];
    const predicted = classes[s.predicted];
    const description = `${file}: true ${truth}, predicted ${predicted} with ${formatPercent(s.confidence)} confidence`;
    const image = s.image && s.text === undefined
      ? h('img', {
        class: open ? 'openable' : undefined,
        attrs: { src: s.image, alt: description, loading: 'lazy', decoding: 'async', width: 120, height: 120, ...(open ? { role: 'button', tabindex: 0, title: `Open ${file}` } : {}) },
        on: open ? { click: () => open(s.path), keydown: (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), open(s.path)) } : {},
      })
      : undefined;
    const picture = s.text !== undefined
      ? h('blockquote', { class: 'text-sample', attrs: { 'aria-label': description } }, s.text)
      : image
      ? (heatmaps?.on ? heatmaps.overlay(s.path, image) : image)
      : h('div', { class: 'no-image', attrs: { role: 'img', 'aria-label': description } }, 'no preview');
    return h('li', { class: 'shot', attrs: { title: s.path } }, picture,
      h('div', { class: 'caption' },
        h('div', { class: 'file' }, file),
        h('div', { attrs: { title: truth } }, h('span', { class: 'muted' }, 'true '), truth),
        h('div', { class: s.label === s.predicted ? '' : 'wrong', attrs: { title: predicted } }, h('span', { class: 'muted' }, 'predicted '), predicted),
        h('div', { class: 'muted' }, `confidence ${formatPercent(s.confidence)}`)));
  });
  if (heatmaps?.on) heatmaps.want(samples.slice(0, MAX_SHOWN).filter((s) => s.image && s.text === undefined).map((s) => s.path));
  const more = samples.length > MAX_SHOWN ? h('p', { class: 'muted' }, `and ${samples.length - MAX_SHOWN} more`) : null;
  const texts = samples.some((s) => s.text !== undefined);
  return h('div', {}, h('ul', { class: texts ? 'gallery texts' : 'gallery' }, ...items), more);
}
