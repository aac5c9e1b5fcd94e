// Which pixel range a model file or URL was trained on, when the experiment does not say: (a) what the model itself
// says (a card we wrote beside it, a scaling layer at its input, a keras.applications architecture), (b) which
// candidate makes its first batch normalisation see the statistics it learned, (c) otherwise the default, as a guess.
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DEFAULT_PREPROCESSING, isPreprocessing, PREPROCESSINGS, type Preprocessing, type PreprocessingChoice,
} from '../../shared/preprocessing';
import type { Sample } from '../data';
import { decodeImage } from '../data/decode';
import { createRng, deriveSeed, shuffled } from '../random';
import { pixelsToInput } from '../training/tensors';

export interface DetectionInput {
  model: tf.LayersModel;
  /** The folder of a model file: a Transfer Lab export leaves its preprocessing.json there. */
  modelFolder?: string;
  /** A few dozen of the user's images, decoded RGB at the model's input size. */
  probe?: Uint8Array[];
  inputSize: number;
}

/** Layers that scale pixels inside the model: it must then be fed 0–255. */
const SCALING_LAYERS = new Set(['Rescaling', 'Normalization']);

/**
 * keras.applications architectures by layers only they have, with the mode of their `preprocess_input`.
 * ResNet50V2 is told from ResNet50 by its pre-activation layers.
 */
const KERAS_APPLICATIONS: { name: string; layers: string[]; value: Preprocessing }[] = [
  { name: 'MobileNetV2', layers: ['Conv1', 'bn_Conv1', 'expanded_conv_project'], value: 'scale-minus1-1' },
  { name: 'MobileNet', layers: ['conv1', 'conv_dw_1', 'conv_pw_1'], value: 'scale-minus1-1' },
  { name: 'InceptionV3', layers: ['mixed0', 'mixed1', 'mixed2'], value: 'scale-minus1-1' },
  { name: 'Xception', layers: ['block1_conv1_bn', 'block2_sepconv1'], value: 'scale-minus1-1' },
  { name: 'ResNetV2', layers: ['conv1_conv', 'conv2_block1_preact_bn'], value: 'scale-minus1-1' },
  { name: 'ResNet50', layers: ['conv1_conv', 'conv2_block1_1_conv'], value: 'caffe-bgr' },
  { name: 'VGG', layers: ['block1_conv1', 'block1_conv2', 'block2_conv1'], value: 'caffe-bgr' },
  { name: 'DenseNet', layers: ['conv1/conv', 'conv1/bn', 'pool1'], value: 'imagenet-mean-std' },
];

/** Images the batch-norm check uses: enough for stable channel statistics, few enough to take a second. */
export const PROBE_IMAGES = 36;
/** Layers that may sit between the first convolution and its batch norm without changing what is compared. */
const BETWEEN_CONV_AND_BN = new Set(['Activation', 'ReLU', 'LeakyReLU', 'ZeroPadding2D']);
/** Layers that may come before the first convolution. */
const BEFORE_CONV = new Set(['InputLayer', 'ZeroPadding2D']);
const CONVOLUTIONS = new Set(['Conv2D', 'SeparableConv2D', 'DepthwiseConv2D']);

export async function detectPreprocessing(input: DetectionInput): Promise<PreprocessingChoice> {
  const said = (await cardBeside(input.modelFolder)) ?? modelSays(input.model);
  if (said) return said;
  const measured = input.probe?.length ? batchNormChoice(input.model, input.probe, input.inputSize) : undefined;
  if (measured && 'value' in measured) return measured;
  const why = measured?.skipped ?? 'no images to measure its batch-norm statistics on';
  return {
    value: DEFAULT_PREPROCESSING, source: 'default', guess: true,
    reason: `the model does not say which pixel range it was trained on and ${why}, so ${DEFAULT_PREPROCESSING} is assumed`,
  };
}

/** A Transfer Lab export records its preprocessing beside the model. */
async function cardBeside(folder: string | undefined): Promise<PreprocessingChoice | undefined> {
  if (!folder) return undefined;
  const card = await readFile(path.join(folder, 'preprocessing.json'), 'utf8').then((text) => JSON.parse(text) as { preprocessing?: unknown }, () => undefined);
  if (!isPreprocessing(card?.preprocessing)) return undefined;
  return { value: card.preprocessing, source: 'model', reason: `recorded by the Transfer Lab export beside the model (${path.join(folder, 'preprocessing.json')})` };
}

/** A scaling layer before the first weighted layer, or a known keras.applications architecture. */
function modelSays(model: tf.LayersModel): PreprocessingChoice | undefined {
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (SCALING_LAYERS.has(className)) {
      return { value: 'raw-0-255', source: 'model', reason: `the model scales its own input (${className} layer "${layer.name}")` };
    }
    if (layer.weights.length > 0) break;
  }
  const names = new Set(model.layers.map((l) => l.name));
  const known = KERAS_APPLICATIONS.find((app) => app.layers.every((name) => names.has(name)));
  if (!known) return undefined;
  return { value: known.value, source: 'model', reason: `its layers are keras.applications ${known.name}'s, whose preprocess_input gives ${known.value}` };
}

interface FirstNormalisation {
  conv: tf.layers.Layer;
  bn: tf.layers.Layer;
  /** What the batch norm normalises: the convolution's output, or its activation's. */
  bnInput: tf.SymbolicTensor;
}

/** The first convolution, when it is fed (through padding only) by the input and feeds a BatchNormalization. */
function firstConvFeedingBatchNorm(model: tf.LayersModel): FirstNormalisation | { skipped: string } {
  const conv = model.layers.find((l) => CONVOLUTIONS.has(l.getClassName()));
  if (!conv) return { skipped: 'it has no convolution' };
  for (let layer = inboundOf(conv); layer; layer = inboundOf(layer)) {
    if (!BEFORE_CONV.has(layer.getClassName())) return { skipped: `its first convolution "${conv.name}" is fed by a ${layer.getClassName()} layer` };
  }
  let next = outboundOf(conv);
  while (next && BETWEEN_CONV_AND_BN.has(next.getClassName())) next = outboundOf(next);
  if (next?.getClassName() === 'BatchNormalization') {
    const { axis } = next.getConfig() as { axis?: number | number[] };
    const channelsLast = [-1, 3].includes(Array.isArray(axis) && axis.length === 1 ? axis[0] : (axis as number));
    if (!channelsLast) return { skipped: `its batch norm "${next.name}" does not normalise channels-last` };
    return { conv, bn: next, bnInput: next.getInputAt(0) as tf.SymbolicTensor };
  }
  return { skipped: `its first convolution "${conv.name}" does not feed a batch normalization` };
}

function inboundOf(layer: tf.layers.Layer): tf.layers.Layer | undefined {
  const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
  return inbound.length === 1 ? inbound[0] : undefined;
}

/** The single layer `layer` feeds, if it feeds exactly one. */
function outboundOf(layer: tf.layers.Layer): tf.layers.Layer | undefined {
  const outbound = layer.outboundNodes.map((node) => node.outboundLayer);
  return outbound.length === 1 ? outbound[0] : undefined;
}

/**
 * Per candidate: the mean over channels of KL(N(batch mean, batch var) ‖ N(moving mean, moving var)) of what the
 * first batch norm sees. Its moving statistics were gathered under the training preprocessing, so the closest wins.
 */
export function batchNormDistances(model: tf.LayersModel, probe: Uint8Array[], inputSize: number): { layers: string; distances: Map<Preprocessing, number> } | { skipped: string } {
  const found = firstConvFeedingBatchNorm(model);
  if ('skipped' in found) return found;
  const { epsilon } = found.bn.getConfig() as { epsilon: number };
  const weight = (suffix: string) => found.bn.weights.find((w) => w.originalName.endsWith(`/${suffix}`))!.read();
  const prefix = tf.model({ inputs: model.inputs, outputs: found.bnInput });
  const distances = new Map<Preprocessing, number>();
  for (const candidate of PREPROCESSINGS) {
    const kl = tf.tidy(() => {
      const outputs = chunks(probe, 12).map((batch) => prefix.predict(pixelsToInput(concat(batch), inputSize, candidate)) as tf.Tensor4D);
      const all = tf.concat(outputs, 0);
      const { mean, variance } = tf.moments(all, [0, 1, 2]);
      const movingVariance = weight('moving_variance').add(epsilon);
      const seen = variance.add(epsilon);
      const shift = mean.sub(weight('moving_mean'));
      // KL(N(m, v) ‖ N(μ, σ²)) = ½ (ln σ²/v + (v + (m − μ)²) / σ² − 1)
      return movingVariance.div(seen).log().add(seen.add(shift.square()).div(movingVariance)).sub(1).mul(0.5).mean().dataSync()[0];
    });
    distances.set(candidate, Number.isFinite(kl) ? kl : Infinity);
  }
  return { layers: `"${found.conv.name}" → "${found.bn.name}"`, distances };
}

function batchNormChoice(model: tf.LayersModel, probe: Uint8Array[], inputSize: number): PreprocessingChoice | { skipped: string } {
  const result = batchNormDistances(model, probe, inputSize);
  if ('skipped' in result) return result;
  const [best, next] = [...result.distances].sort((a, b) => a[1] - b[1]);
  const margin = next[1] / Math.max(best[1], 1e-9);
  return {
    value: best[0], source: 'batch-norm',
    reason: `the batch-norm statistics of ${result.layers} on ${probe.length} of your images fit ${best[0]} best ` +
      `(KL ${round(best[1])}; next ${next[0]} at ${round(next[1])}, ${margin.toFixed(1)}× further)`,
  };
}

const round = (x: number) => (x >= 100 ? x.toExponential(1) : x.toPrecision(2));

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

function concat(images: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(images.reduce((sum, image) => sum + image.length, 0));
  images.reduce((at, image) => (out.set(image, at), at + image.length), 0);
  return out;
}

/** Decodes up to PROBE_IMAGES of `paths` at the model's input size; unreadable files are passed over. */
export async function readProbe(paths: readonly string[], inputSize: number): Promise<Uint8Array[]> {
  const images: Uint8Array[] = [];
  for (const file of paths) {
    if (images.length >= PROBE_IMAGES) break;
    const decoded = await decodeImage(file, inputSize);
    if (decoded.ok) images.push(decoded.pixels);
  }
  return images;
}

/** Every sample's path, one class after another in turn and shuffled by `seed` within each: any prefix spans the classes. */
export function probeOrder(samples: readonly Sample[], seed: number): string[] {
  const byClass = new Map<number, string[]>();
  for (const sample of samples) byClass.set(sample.label, [...(byClass.get(sample.label) ?? []), sample.path]);
  const rng = createRng(deriveSeed(seed, 'preprocessing-probe'));
  const queues = [...byClass.keys()].sort((a, b) => a - b).map((label) => shuffled(byClass.get(label)!, rng));
  const longest = Math.max(0, ...queues.map((q) => q.length));
  return Array.from({ length: longest }, (_, i) => queues.flatMap((q) => (i < q.length ? [q[i]] : []))).flat();
}
