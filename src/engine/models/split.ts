// Splits a model where one tensor carries everything forward, so fine-tuning can cache the frozen prefix's output.
import * as tf from '@tensorflow/tfjs';
import { requireKnown } from './freeze';
import { cutPositions, graphSteps, type GraphStep } from './layerTree';

export interface ModelSplit {
  /** Model input → boundary activations; null when the whole model must run each epoch. */
  prefix: tf.LayersModel | null;
  /** Boundary activations → model output, built from the SAME layer objects as `model` (shared weights). */
  top: tf.LayersModel;
  /** Name of the layer whose output is the cut, or null with `prefix`. */
  boundary: string | null;
}

/**
 * Splits at the latest single-tensor cut before `firstTrainable`; no split (prefix null, top = model) when
 * there is none or a layer runs twice inside the model. `prefix` and `top` borrow `model`'s layers: dispose
 * only `model` (disposing `prefix` would free weights `model` still uses).
 */
export function splitModel(model: tf.LayersModel, firstTrainable: string): ModelSplit {
  const steps = graphSteps(model);
  const names = steps.map((s) => s.layer.name);
  requireKnown('firstTrainable', [firstTrainable], names);
  // Re-applying a layer that runs twice inside the model would need per-node bookkeeping; run it whole instead.
  const reusesLayers = steps.some((s) => s.nodes.length !== 1);
  const cut = reusesLayers ? undefined : cutPositions(model, steps).filter((p) => p < names.indexOf(firstTrainable)).pop();
  if (cut === undefined) return { prefix: null, top: model, boundary: null };

  return splitAt(model, steps, cut);
}

/** Layers (topological order) whose single output is the only value later layers need from them or before. */
export function singleTensorCuts(model: tf.LayersModel): string[] {
  const steps = graphSteps(model);
  return cutPositions(model, steps).map((p) => steps[p].layer.name);
}

/** Splits at a layer `cutLayers` (or singleTensorCuts) named: prefix = input → its output, top = its output → model outputs. */
export function splitModelAt(model: tf.LayersModel, layerName: string): ModelSplit & { prefix: tf.LayersModel } {
  const steps = graphSteps(model);
  const cut = steps.findIndex((s) => s.layer.name === layerName);
  if (!cutPositions(model, steps).includes(cut)) throw new Error(`layer "${layerName}" is not a single-tensor cut of ${model.name}`);
  return splitAt(model, steps, cut);
}

function splitAt(model: tf.LayersModel, steps: GraphStep[], cut: number): ModelSplit & { prefix: tf.LayersModel } {
  const names = steps.map((s) => s.layer.name);
  const boundary = steps[cut].nodes[0].outputTensors[0];
  const prefix = tf.model({ inputs: model.inputs, outputs: boundary, name: `${model.name}_prefix` });
  const input = tf.input({ batchShape: [...boundary.shape], dtype: boundary.dtype, name: `cut_${names[cut]}` });
  const rebuilt = new Map<tf.SymbolicTensor, tf.SymbolicTensor>([[boundary, input]]);
  for (const { layer, nodes: [node] } of steps.slice(cut + 1)) {
    // The cut guarantees every inbound tensor is the boundary or was rebuilt by an earlier step.
    const inputs = node.inputTensors.map((t) => rebuilt.get(t)!);
    const outputs = layer.apply(inputs.length === 1 ? inputs[0] : inputs, node.callArgs);
    [outputs].flat().forEach((t, i) => rebuilt.set(node.outputTensors[i], t as tf.SymbolicTensor));
  }
  const outputs = model.outputs.map((t) => rebuilt.get(t)!);
  const top = tf.model({ inputs: input, outputs: outputs.length === 1 ? outputs[0] : outputs, name: `${model.name}_top` });
  return { prefix, top, boundary: names[cut] };
}
