// TF-free mirror of the engine's freeze specs (src/engine/models/freeze.ts imports tfjs, which no bundle may load);
// a unit test checks it against the engine on real MobileNetV2 and InceptionV3 layer lists.
import type { TrainableSpec } from '../../src/protocol/experiment';

export interface NamedLayer { name: string; block: string }
export interface LayerBlock<L extends NamedLayer = NamedLayer> { block: string; layers: L[] }
export type Resolved = { names: Set<string> } | { error: string };

/** Layers grouped by block, blocks in order of their first layer (the engine's `groupBlocks`). */
export function groupBlocks<L extends NamedLayer>(layers: readonly L[]): LayerBlock<L>[] {
  const groups = new Map<string, LayerBlock<L>>();
  for (const layer of layers) {
    const group = groups.get(layer.block) ?? { block: layer.block, layers: [] };
    group.layers.push(layer);
    groups.set(layer.block, group);
  }
  return [...groups.values()];
}

/** The layers a spec unfreezes, or why it does not fit the model (same rules as the engine). */
export function resolveTrainable(layers: readonly NamedLayer[], spec: TrainableSpec): Resolved {
  const names = layers.map((l) => l.name);
  const known = new Set(names);
  const count = (n: number, max: number, what: string): Resolved | undefined =>
    Number.isInteger(n) && n >= 1 && n <= max ? undefined : { error: `${n} is not a whole number of ${what} from 1 to ${max}` };
  if ('all' in spec) return { names: new Set(names) };
  if ('none' in spec) return { names: new Set() };
  if ('topLayers' in spec) return count(spec.topLayers, names.length, 'layers') ?? { names: new Set(names.slice(names.length - spec.topLayers)) };
  if ('topBlocks' in spec) {
    const blocks = groupBlocks(layers);
    return count(spec.topBlocks, blocks.length, 'blocks') ?? { names: new Set(blocks.slice(blocks.length - spec.topBlocks).flatMap((b) => b.layers.map((l) => l.name))) };
  }
  if ('fromLayer' in spec) return known.has(spec.fromLayer) ? { names: new Set(names.slice(names.indexOf(spec.fromLayer))) } : { error: `no layer named "${spec.fromLayer}"` };
  if ('names' in spec) {
    const unknown = spec.names.find((n) => !known.has(n));
    return unknown === undefined ? { names: new Set(spec.names) } : { error: `no layer named "${unknown}"` };
  }
  const [from, to] = spec.range;
  const valid = (i: number) => Number.isInteger(i) && i >= 0 && i < names.length;
  return valid(from) && valid(to) && from <= to ? { names: new Set(names.slice(from, to + 1)) } : { error: `[${from}, ${to}] is not a valid layer range` };
}

/** The shortest spec that unfreezes exactly `trainable`: none, all, the top blocks, from a layer up, or names. */
export function simplestSpec(layers: readonly NamedLayer[], trainable: ReadonlySet<string>): TrainableSpec {
  const picked = layers.filter((l) => trainable.has(l.name));
  if (picked.length === 0) return { none: true };
  if (picked.length === layers.length) return { all: true };
  const first = layers.findIndex((l) => trainable.has(l.name));
  if (picked.length === layers.length - first) {
    const blocks = groupBlocks(layers);
    const fromBlock = blocks.findIndex((b) => b.layers[0] === layers[first]);
    const byBlocks: TrainableSpec = { topBlocks: blocks.length - fromBlock };
    return fromBlock >= 0 && sameSet(resolveTrainable(layers, byBlocks), trainable) ? byBlocks : { fromLayer: layers[first].name };
  }
  return { names: picked.map((l) => l.name) };
}

function sameSet(resolved: Resolved, wanted: ReadonlySet<string>): boolean {
  return 'names' in resolved && resolved.names.size === wanted.size && [...wanted].every((n) => resolved.names.has(n));
}

/** `trainable` with the given layers switched on or off. */
export function withLayers(trainable: ReadonlySet<string>, names: readonly string[], on: boolean): Set<string> {
  const next = new Set(trainable);
  for (const name of names) {
    if (on) next.add(name);
    else next.delete(name);
  }
  return next;
}

/** Short human wording of a spec, as people say it when fine-tuning. */
export function describeSpec(spec: TrainableSpec): string {
  if ('none' in spec) return 'everything frozen (head only)';
  if ('all' in spec) return 'every layer unfrozen';
  if ('topLayers' in spec) return `top ${spec.topLayers} layer${spec.topLayers === 1 ? '' : 's'} unfrozen`;
  if ('topBlocks' in spec) return `top ${spec.topBlocks} block${spec.topBlocks === 1 ? '' : 's'} unfrozen`;
  if ('fromLayer' in spec) return `unfrozen from ${spec.fromLayer} to the top`;
  if ('names' in spec) return `${spec.names.length} named layer${spec.names.length === 1 ? '' : 's'} unfrozen`;
  return `layers ${spec.range[0]}–${spec.range[1]} unfrozen`;
}
