// The freeze rules: which layers an experiment's `trainable` spec unfreezes, with Keras' slicing semantics. One copy
// for the engine (which throws on a problem) and the Layers webview (which shows it while the user edits).
import type { TrainableSpec } from '../protocol/experiment';

export interface NamedLayer {
  name: string;
  block: string;
  params: number;
}
export interface LayerBlock<L extends NamedLayer = NamedLayer> {
  block: string;
  layers: L[];
  params: number;
}
/** Why a spec does not fit the model: the spec key at fault (e.g. `trainable.fromLayer`), what is wrong, the fix. */
export interface FreezeProblem {
  field: string;
  error: string;
  fix: string;
}
export type Resolved = { names: Set<string> } | FreezeProblem;

/** Layers sharing a block (consecutive or not), blocks in order of their first layer. */
export function groupBlocks<L extends NamedLayer>(layers: readonly L[]): LayerBlock<L>[] {
  const groups = new Map<string, LayerBlock<L>>();
  for (const layer of layers) {
    const group = groups.get(layer.block) ?? { block: layer.block, layers: [], params: 0 };
    group.layers.push(layer);
    group.params += layer.params;
    groups.set(layer.block, group);
  }
  return [...groups.values()];
}

/** The layers a spec unfreezes (every other layer stays frozen), or why it does not fit the model. */
export function checkTrainable(layers: readonly NamedLayer[], spec: TrainableSpec): Resolved {
  const names = layers.map((l) => l.name);
  if ('all' in spec) return { names: new Set(names) };
  if ('none' in spec) return { names: new Set() };
  if ('topLayers' in spec) {
    return countProblem('trainable.topLayers', spec.topLayers, names.length, 'layers') ?? { names: new Set(names.slice(names.length - spec.topLayers)) };
  }
  if ('topBlocks' in spec) {
    const blocks = groupBlocks(layers);
    const what = `blocks (${blocks.map((b) => b.block).join(', ')})`;
    return (
      countProblem('trainable.topBlocks', spec.topBlocks, blocks.length, what) ?? {
        names: new Set(blocks.slice(blocks.length - spec.topBlocks).flatMap((b) => b.layers.map((l) => l.name))),
      }
    );
  }
  if ('fromLayer' in spec)
    return unknownNames('trainable.fromLayer', [spec.fromLayer], names) ?? { names: new Set(names.slice(names.indexOf(spec.fromLayer))) };
  if ('names' in spec) return unknownNames('trainable.names', spec.names, names) ?? { names: new Set(spec.names) };
  const [from, to] = spec.range;
  const last = names.length - 1;
  const valid = (i: number) => Number.isInteger(i) && i >= 0 && i <= last;
  if (!valid(from) || !valid(to) || from > to) {
    return {
      field: 'trainable.range',
      error: `[${from}, ${to}] is not a valid layer range`,
      fix: `Give two layer indices with 0 ≤ from ≤ to ≤ ${last} (both inclusive).`,
    };
  }
  return { names: new Set(names.slice(from, to + 1)) };
}

function countProblem(field: string, count: number, available: number, what: string): FreezeProblem | undefined {
  if (Number.isInteger(count) && count >= 1 && count <= available) return undefined;
  return { field, error: `${count} is not a whole number from 1 to ${available}`, fix: `The model has ${available} ${what}; pick a count in that range.` };
}

/** A problem naming each unknown layer and the real names closest to it, or undefined when all are known. */
export function unknownNames(field: string, wanted: readonly string[], known: readonly string[]): FreezeProblem | undefined {
  const knownSet = new Set(known);
  const unknown = wanted.filter((name) => !knownSet.has(name));
  if (unknown.length === 0) return undefined;
  const hints = unknown.map(
    (name) =>
      `"${name}" (did you mean ${closestNames(name, known)
        .map((n) => `"${n}"`)
        .join(', ')}?)`,
  );
  return { field, error: `no layer named ${hints.join('; ')}`, fix: "Use a name from the model's layer list (inspect the model to see it)." };
}

/** The three real names with the smallest case-insensitive edit distance to `name`. */
export function closestNames(name: string, known: readonly string[], count = 3): string[] {
  const target = name.toLowerCase();
  return known
    .map((candidate) => ({ candidate, distance: editDistance(target, candidate.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, count)
    .map((c) => c.candidate);
}

/** Levenshtein distance with a single rolling row. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
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
    return fromBlock >= 0 && sameSet(checkTrainable(layers, byBlocks), trainable) ? byBlocks : { fromLayer: layers[first].name };
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
