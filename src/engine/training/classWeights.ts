// Class weights with Keras' `class_weight` semantics: each training example's loss is multiplied by its class's
// weight. "balanced" is scikit-learn's compute_class_weight('balanced'): n_samples / (n_classes * count_c); it is the
// default when the largest class has over IMBALANCE_RATIO times the images of the smallest.
import type { ClassWeightsSpec } from '../../protocol/experiment';
import type { ClassBalance, TrainResult } from '../../protocol/host';

/** Above this largest/smallest count ratio an experiment without `classWeights` trains "balanced". */
export const IMBALANCE_RATIO = 1.5;

export interface ResolvedClassWeights {
  mode: 'balanced' | 'none' | 'custom';
  /** One weight per class index; undefined when every weight is 1 (mode "none"). */
  weights?: number[];
  /** For people: what was chosen and why, e.g. `balanced (default: "cats" has 3.0× the images of "dogs")`. */
  reason: string;
}

export class ClassWeightsError extends Error {}

/** scikit-learn's compute_class_weight('balanced', classes, y) from per-class counts (an empty class gets weight 1). */
export function balancedWeights(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((count) => (count > 0 ? total / (counts.length * count) : 1));
}

/** How uneven the classes are and what an experiment that does not set `classWeights` gets. */
export function classBalance(classes: readonly string[], counts: readonly number[]): ClassBalance {
  const largest = counts.indexOf(Math.max(...counts));
  const smallest = counts.indexOf(Math.min(...counts));
  const ratio = counts[smallest] > 0 ? counts[largest] / counts[smallest] : Infinity;
  const imbalanced = classes.length > 1 && ratio > IMBALANCE_RATIO;
  const sizes = `"${classes[largest]}" has ${counts[largest]} examples, ${Number.isFinite(ratio) ? `${ratio.toFixed(1)}×` : 'infinitely many times'} the ${counts[smallest]} of "${classes[smallest]}"`;
  return {
    ratio, largest: classes[largest], smallest: classes[smallest], defaultWeights: imbalanced ? 'balanced' : 'none',
    note: imbalanced
      ? `imbalanced classes: ${sizes} — training weights the loss "balanced" by default (set "classWeights": "none" to turn it off)`
      : `classes are balanced within ${IMBALANCE_RATIO}× (${sizes}): no class weights by default`,
  };
}

/** The balance of a scan's training examples (a layout without a val folder splits each class alike, so the ratio holds). */
export function trainingBalance(classes: readonly string[], counts: Record<string, { train: number }>): ClassBalance | undefined {
  return classes.length > 1 ? classBalance(classes, classes.map((name) => counts[name].train)) : undefined;
}

/** The weights one run trains with, from the experiment's `classWeights` (or the default rule) and the training counts. */
export function resolveClassWeights(spec: ClassWeightsSpec | undefined, classes: readonly string[], counts: readonly number[]): ResolvedClassWeights {
  if (spec === undefined) {
    const balance = classBalance(classes, counts);
    const resolved = resolveClassWeights(balance.defaultWeights, classes, counts);
    return { ...resolved, reason: `${resolved.reason}; by default, as ${balance.note}` };
  }
  if (spec === 'none') return { mode: 'none', reason: 'none (every class weighs 1)' };
  if (spec === 'balanced') {
    const weights = balancedWeights(counts);
    return { mode: 'balanced', weights, reason: `balanced: ${describe(classes, weights)}` };
  }
  const unknown = Object.keys(spec).filter((name) => !classes.includes(name));
  if (unknown.length > 0) {
    throw new ClassWeightsError(`classWeights: unknown class${unknown.length > 1 ? 'es' : ''} ${unknown.map((n) => `"${n}"`).join(', ')} — the classes are ${classes.map((n) => `"${n}"`).join(', ')}`);
  }
  // like Keras 3, a class the object does not name weighs 1
  const weights = classes.map((name) => spec[name] ?? 1);
  return { mode: 'custom', weights, reason: `from the experiment: ${describe(classes, weights)}` };
}

function describe(classes: readonly string[], weights: readonly number[]): string {
  return classes.map((name, i) => `${name} ${Number(weights[i].toFixed(3))}`).join(', ');
}

/** Training examples per class index. */
export function countByClass(labels: readonly { label: number }[], classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (const { label } of labels) counts[label] += 1;
  return counts;
}

/** The resolved weights as a run reports them: by class name. */
export function reportClassWeights(resolved: ResolvedClassWeights, classes: readonly string[]): NonNullable<TrainResult['classWeights']> {
  const weights = resolved.weights && Object.fromEntries(classes.map((name, i) => [name, resolved.weights![i]]));
  return { mode: resolved.mode, reason: resolved.reason, ...(weights ? { weights } : {}) };
}
