// Splits a classifier at its last spatial feature map and explains its decisions there: CAM when the rest is
// global average pooling → dense (the map is exact and needs no gradient), Grad-CAM through anything else.
import * as tf from '@tensorflow/tfjs';
import { cutPositions, graphSteps } from '../models/layerTree';
import { splitModelAt } from '../models/split';
import { disposeLayerWeights } from '../training/tensors';
import { centredClassWeights, classActivationMap, gradCam } from './classActivation';
import { alignToImage, cellCentres, type AxisCentres } from './gridAlignment';

export type ExplainMethod = 'cam' | 'grad-cam';

export interface Explanation {
  probabilities: Float32Array;
  classIndex: number;
  /** rows × cols, row-major, before scaling (≥ 0); cell (r, c) is the r-th / c-th equal band of the image. */
  map: Float32Array;
  rows: number;
  cols: number;
}

export interface Explainer {
  method: ExplainMethod;
  /** The layer whose feature map is explained. */
  layer: string;
  /** One explanation per image of `input`, for `classIndex` or else each image's most probable class. */
  explain(input: tf.Tensor4D, classIndex?: number): Promise<Explanation[]>;
  dispose(): void;
}

/** Why a model cannot be explained here (the caller names the run). */
export class NoSpatialLayerError extends Error {}

/** The classifier's logits: the input of its final softmax (exported runs end in one), else its output. */
function logitsModel(model: tf.LayersModel): tf.LayersModel {
  const last = model.layers[model.layers.length - 1];
  const softmax = last.getClassName() === 'Activation' && (last.getConfig() as { activation?: string }).activation === 'softmax';
  return softmax ? tf.model({ inputs: model.inputs, outputs: last.input as tf.SymbolicTensor, name: `${model.name}_logits` }) : model;
}

/** The last layer whose output is a feature map with more than one position and carries everything after it. */
function lastSpatialCut(model: tf.LayersModel): string {
  const steps = graphSteps(model);
  const spatial = cutPositions(model, steps).filter((p) => {
    const shape = steps[p].layer.outputShape as number[];
    return shape.length === 4 && shape[1] * shape[2] > 1;
  });
  if (!spatial.length) throw new NoSpatialLayerError('its model has no spatial feature map (no 4-D layer output with more than one position that everything after it flows through), so there is nothing to place a heatmap on');
  return steps[spatial[spatial.length - 1]].layer.name;
}

/** The dense layer of a "global average pooling → (dropout) → dense" top without activation, or undefined. */
function pooledLinearHead(top: tf.LayersModel): tf.layers.Layer | undefined {
  const kinds = top.layers.slice(1).filter((l) => l.getClassName() !== 'Dropout');
  const [pool, dense] = kinds;
  const linear = dense?.getClassName() === 'Dense' && ['linear', undefined].includes((dense.getConfig() as { activation?: string }).activation);
  return kinds.length === 2 && pool.getClassName() === 'GlobalAveragePooling2D' && linear ? dense : undefined;
}

export function createExplainer(classifier: tf.LayersModel): Explainer {
  const logits = logitsModel(classifier);
  const layer = lastSpatialCut(logits);
  const { prefix, top } = splitModelAt(logits, layer);
  const dense = pooledLinearHead(top);
  const [, rows, cols] = prefix.outputs[0].shape as number[];
  const inputSize = (classifier.inputs[0].shape as number[])[1];
  const centres: [AxisCentres, AxisCentres] = [cellCentres(logits.getLayer(layer), 0), cellCentres(logits.getLayer(layer), 1)];

  async function explain(input: tf.Tensor4D, classIndex?: number): Promise<Explanation[]> {
    const features = tf.tidy(() => prefix.predict(input) as tf.Tensor4D);
    const scores = tf.tidy(() => top.predict(features) as tf.Tensor2D);
    const probabilities = tf.tidy(() => tf.softmax(scores));
    const [count, classes] = scores.shape;
    const chosen = classIndex ?? -1;
    const picked = chosen >= 0 ? new Array<number>(count).fill(chosen) : Array.from(await tf.tidy(() => tf.argMax(scores, 1)).data());
    const maps = tf.tidy(() => {
      const images = tf.unstack(features) as tf.Tensor3D[];
      if (dense) {
        const kernel = dense.getWeights()[0] as tf.Tensor2D;
        return tf.stack(images.map((a, i) => classActivationMap(a, centredClassWeights(kernel, picked[i]))));
      }
      // the centred score of each image's class; images are independent in inference, so one gradient serves the batch
      const mask = tf.sub(tf.oneHot(picked, classes), 1 / classes);
      const gradients = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(top.apply(a) as tf.Tensor2D, mask)))(features);
      return tf.stack(images.map((a, i) => gradCam(a, tf.squeeze(tf.slice(gradients, [i], [1]), [0]) as tf.Tensor3D)));
    });
    const [probabilityRows, mapValues] = [await probabilities.data(), await maps.data()];
    tf.dispose([features, scores, probabilities, maps]);
    return picked.map((c, i) => ({
      probabilities: probabilityRows.slice(i * classes, (i + 1) * classes) as Float32Array,
      classIndex: c, map: alignToImage(mapValues.subarray(i * rows * cols, (i + 1) * rows * cols), rows, cols, inputSize, centres), rows, cols,
    }));
  }

  return { method: dense ? 'cam' : 'grad-cam', layer, explain, dispose: () => disposeLayerWeights(classifier.layers) };
}
