// What one layer converter gets and gives: the layer's config and weights in, its output value out.
import type { KerasLayer } from '../../../models/surgery';
import type { OnnxGraph, Value } from '../graph';

export interface LayerWeights {
  shape: number[];
  values: Float32Array;
}

export interface LayerContext {
  graph: OnnxGraph;
  layer: KerasLayer;
  config: Record<string, unknown>;
  /** The layer's weight by its tfjs role (`kernel`, `bias`, `gamma`, …), or undefined when it has none. */
  weight: (role: string) => LayerWeights | undefined;
}

export type LayerConverter = (context: LayerContext, inputs: Value[]) => Value;

/** Thrown for a layer or setting this export cannot write; the caller adds the layer and the file. */
export class Unsupported extends Error {}

/** The weight, or a clear error when the model file lacks it. */
export function required(context: LayerContext, role: string): LayerWeights {
  const weight = context.weight(role);
  if (!weight) throw new Unsupported(`has no "${role}" weight`);
  return weight;
}

export const pair = (value: unknown, fallback: number): [number, number] => {
  if (value === undefined || value === null) return [fallback, fallback];
  return typeof value === 'number' ? [value, value] : (value as [number, number]);
};
