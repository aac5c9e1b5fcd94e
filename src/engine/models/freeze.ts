// Turns an experiment's `trainable` spec into the exact set of layers to unfreeze, with Keras' slicing semantics.
import * as tf from '@tensorflow/tfjs';
import type { TrainableSpec } from '../../protocol/experiment';
import { ModelError } from './errors';
import { groupBlocks, type LayerInfo } from './layerTree';

export type { TrainableSpec };

/** A spec that does not fit the model; `field` is the spec key at fault (e.g. `trainable.fromLayer`). */
export class FreezeSpecError extends ModelError {
  constructor(readonly field: string, problem: string, fix: string) {
    super(problem, field, fix);
    this.name = 'FreezeSpecError';
  }
}

/** Names of the layers to make trainable; every other layer stays frozen. */
export function resolveTrainable(layers: readonly LayerInfo[], spec: TrainableSpec): Set<string> {
  const names = layers.map((l) => l.name);
  if ('all' in spec) return new Set(names);
  if ('none' in spec) return new Set();
  if ('topLayers' in spec) {
    checkCount('trainable.topLayers', spec.topLayers, names.length, 'layers');
    return new Set(names.slice(names.length - spec.topLayers));
  }
  if ('topBlocks' in spec) {
    const blocks = groupBlocks(layers);
    checkCount('trainable.topBlocks', spec.topBlocks, blocks.length, `blocks (${blocks.map((b) => b.block).join(', ')})`);
    return new Set(blocks.slice(blocks.length - spec.topBlocks).flatMap((b) => b.layers.map((l) => l.name)));
  }
  if ('fromLayer' in spec) {
    requireKnown('trainable.fromLayer', [spec.fromLayer], names);
    return new Set(names.slice(names.indexOf(spec.fromLayer)));
  }
  if ('names' in spec) {
    requireKnown('trainable.names', spec.names, names);
    return new Set(spec.names);
  }
  return new Set(layersInRange(layers, spec.range).map((l) => l.name));
}

/** Sets `trainable` on every layer of `model`: true for the named ones, false for all others (recompile afterwards). */
export function applyTrainable(model: tf.LayersModel, names: ReadonlySet<string>): void {
  requireKnown('trainable', [...names], model.layers.map((l) => l.name));
  for (const layer of model.layers) layer.trainable = names.has(layer.name);
}

/** Throws naming each unknown layer and the real names closest to it. */
export function requireKnown(field: string, wanted: readonly string[], known: readonly string[]): void {
  const knownSet = new Set(known);
  const unknown = wanted.filter((name) => !knownSet.has(name));
  if (unknown.length === 0) return;
  const hints = unknown.map((name) => `"${name}" (did you mean ${closestNames(name, known).map((n) => `"${n}"`).join(', ')}?)`);
  throw new FreezeSpecError(field, `no layer named ${hints.join('; ')}`, "Use a name from the model's layer list (inspect the model to see it).");
}

function checkCount(field: string, count: number, available: number, what: string): void {
  if (!Number.isInteger(count) || count < 1 || count > available) {
    throw new FreezeSpecError(field, `${count} is not a whole number from 1 to ${available}`, `The model has ${available} ${what}; pick a count in that range.`);
  }
}

function layersInRange(layers: readonly LayerInfo[], [from, to]: [number, number]): LayerInfo[] {
  const last = layers.length - 1;
  const valid = (i: number) => Number.isInteger(i) && i >= 0 && i <= last;
  if (!valid(from) || !valid(to) || from > to) {
    throw new FreezeSpecError('trainable.range', `[${from}, ${to}] is not a valid layer range`, `Give two layer indices with 0 ≤ from ≤ to ≤ ${last} (both inclusive).`);
  }
  return layers.slice(from, to + 1);
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
