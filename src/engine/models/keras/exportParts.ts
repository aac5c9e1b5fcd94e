// What both Keras exporters (.h5 and .keras) take from tfjs Layers artifacts: each layer's float32 weights in the
// order Keras stores them, and a model config whose values Keras accepts.
import { ModelError } from '../errors';
import type { LayersArtifacts } from '../layersFiles';

export interface ExportWeight {
  /** tfjs' name, `<layer>/<weight>`. */
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Keras' weight order inside a layer (trainable, then non-trainable), which its loaders rely on. */
const WEIGHT_RANK = ['kernel', 'depthwise_kernel', 'pointwise_kernel', 'bias', 'gamma', 'beta', 'moving_mean', 'moving_variance'];
const rank = (name: string) => {
  const r = WEIGHT_RANK.indexOf(name.slice(name.lastIndexOf('/') + 1));
  return r < 0 ? WEIGHT_RANK.length : r;
};

/** Every named layer's weights in Keras' order (an empty list for a weightless layer). */
export function weightsByLayer(artifacts: LayersArtifacts, layerNames: readonly string[], file: string): Map<string, ExportWeight[]> {
  const weights = float32Weights(artifacts, file);
  return new Map(layerNames.map((layer) => [layer, weights.filter((w) => w.name.startsWith(`${layer}/`)).sort((a, b) => rank(a.name) - rank(b.name))]));
}

function float32Weights(artifacts: LayersArtifacts, file: string): ExportWeight[] {
  let offset = 0;
  return artifacts.weightSpecs.map((spec) => {
    if (spec.dtype !== 'float32' || spec.quantization) throw new ModelError(`weight "${spec.name}" is ${spec.quantization?.dtype ?? spec.dtype}, not float32`, file, 'Export a model with float32 weights');
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(artifacts.weightData.slice(offset, offset + count * 4));
    offset += count * 4;
    return { name: spec.name, shape: spec.shape, values };
  });
}

/** tfjs writes VarianceScaling's truncated normal as "normal", which Keras 3 rejects; everything else Keras reads as is. */
export function kerasCompatible<T>(modelConfig: T): T {
  return JSON.parse(JSON.stringify(modelConfig), (key, value) =>
    key === 'distribution' && (value === 'normal' || value === 'truncatedNormal') ? 'truncated_normal' : value);
}
