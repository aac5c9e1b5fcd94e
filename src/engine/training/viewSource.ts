// Cached augmentation: K augmented views of every training image sit in the feature cache; each epoch trains on one
// view per image, drawn with the seed, so augmentation costs K passes of the base once instead of one every epoch.
import { createRng, deriveSeed, shuffled } from '../random';
import type { CachedItem } from './features';
import type { FeatureStore } from './featureStore';
import { rowSource, type BatchSource } from './sources';

export interface CachedView {
  items: CachedItem[];
  store: FeatureStore;
}

type ViewItem = CachedItem & { view: number };

/** Which view image `i` trains on in `epoch`: the same for one seed, whatever else changes. */
export function drawViews(seed: number, epoch: number, images: number, views: number): number[] {
  const rng = createRng(deriveSeed(seed, `views:${epoch}`));
  return Array.from({ length: images }, () => Math.floor(rng() * views));
}

export function viewSource(views: CachedView[], batchSize: number, seed: number): BatchSource {
  // a file that does not decode fails in every view; keep the images every view has, in one order
  const byPath = views.map((view) => new Map(view.items.map((item) => [item.path, item])));
  const images = views[0].items.filter((item) => byPath.every((paths) => paths.has(item.path)));
  const universe: ViewItem[] = views.flatMap((_, view) => images.map((image) => ({ ...byPath[view].get(image.path)!, view })));
  const visit = (epoch: number) => {
    const drawn = drawViews(seed, epoch, images.length, views.length).map((view, i) => universe[view * images.length + i]);
    return shuffled(drawn, createRng(deriveSeed(seed, `epoch:${epoch}`)));
  };
  const reader = { shape: views[0].store.shape, read: (item: ViewItem) => views[item.view].store.get(item.hash) };
  return rowSource(universe, reader, batchSize, images.length, visit);
}
