// The engine's side of the freeze rules (src/shared/freeze.ts): a spec that does not fit is an error, and the
// resolved names become the layers' `trainable` flags.
import * as tf from '@tensorflow/tfjs';
import type { TrainableSpec } from '../../protocol/experiment';
import { checkTrainable, unknownNames, type FreezeProblem, type NamedLayer } from '../../shared/freeze';
import { ModelError } from './errors';

export type { TrainableSpec };

/** A spec that does not fit the model; `field` is the spec key at fault (e.g. `trainable.fromLayer`). */
export class FreezeSpecError extends ModelError {
  constructor(readonly field: string, problem: string, fix: string) {
    super(problem, field, fix);
    this.name = 'FreezeSpecError';
  }
}

const refuse = (problem: FreezeProblem) => new FreezeSpecError(problem.field, problem.error, problem.fix);

/** Names of the layers to make trainable; every other layer stays frozen. */
export function resolveTrainable(layers: readonly NamedLayer[], spec: TrainableSpec): Set<string> {
  const resolved = checkTrainable(layers, spec);
  if ('names' in resolved) return resolved.names;
  throw refuse(resolved);
}

/** Sets `trainable` on every layer of `model`: true for the named ones, false for all others (recompile afterwards). */
export function applyTrainable(model: tf.LayersModel, names: ReadonlySet<string>): void {
  requireKnown('trainable', [...names], model.layers.map((l) => l.name));
  for (const layer of model.layers) layer.trainable = names.has(layer.name);
}

/** Throws naming each unknown layer and the real names closest to it. */
export function requireKnown(field: string, wanted: readonly string[], known: readonly string[]): void {
  const problem = unknownNames(field, wanted, known);
  if (problem) throw refuse(problem);
}
