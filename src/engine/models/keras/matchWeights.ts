// Puts a Keras file's weights onto a topology by layer name (then by position inside the layer, as Keras does),
// producing tfjs weight specs + bytes. Inside a layer, names decide when they all match (Keras 2 and tfjs files),
// else position (Keras 3 files). Every misfit names the layer and weight.
import * as tf from '@tensorflow/tfjs';
import { ModelError } from '../errors';
import { type Topology, toFunctional } from '../surgery';
import type { FileWeight, KerasWeights } from './weightsFile';

export interface ExpectedWeight {
  layer: string;
  /** tfjs' name, `<layer>/<weight>`, which loadLayersModel matches. */
  name: string;
  shape: number[];
}

export interface MatchedWeights {
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
  /** File layers with weights that the model has no layer for. */
  unused: string[];
}

/** Layer classes of `topology` that tfjs cannot build, as `"name" (Class)`. */
function unsupportedLayers(topology: Topology): string[] {
  const known = tf.serialization.SerializationMap.getMap().classNameMap;
  return toFunctional(topology).model_config.config.layers
    .filter((layer) => !(layer.class_name in known))
    .map((layer) => `"${layer.name}" (${layer.class_name})`);
}

export function checkSupported(topology: Topology, source: string): void {
  const unsupported = unsupportedLayers(topology);
  if (unsupported.length > 0) {
    throw new ModelError(`has layers TensorFlow.js cannot build: ${unsupported.join(', ')}`, source, 'Replace them with built-in Keras layers (custom and preprocessing layers are not supported), or cut the model before them');
  }
}

/** tfjs' model of `topology` with zero initialisers, for its shapes and weight names: even VGG16's 138 M weights cost no random numbers. */
export async function withShapeModel<T>(topology: Topology, use: (model: tf.LayersModel) => T): Promise<T> {
  const zeroed = JSON.parse(JSON.stringify(topology), (key, value) => (key.endsWith('_initializer') && value ? { class_name: 'Zeros', config: {} } : value));
  const model = await tf.models.modelFromJSON(zeroed);
  try {
    return use(model);
  } finally {
    model.dispose();
  }
}

/** Each layer's weights as tfjs builds them. */
export function expectedWeights(topology: Topology): Promise<ExpectedWeight[]> {
  return withShapeModel(topology, (model) => model.layers.flatMap((layer) => layer.weights.map((w) => ({ layer: layer.name, name: w.originalName, shape: [...w.shape] as number[] }))));
}

export function matchWeights(expected: readonly ExpectedWeight[], file: KerasWeights, source: string): MatchedWeights {
  const byLayer = new Map<string, ExpectedWeight[]>();
  for (const w of expected) byLayer.set(w.layer, [...(byLayer.get(w.layer) ?? []), w]);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Float32Array[] = [];
  const missing: string[] = [];
  for (const [layer, wanted] of byLayer) {
    const stored = file.get(layer);
    if (!stored || stored.length === 0) {
      missing.push(layer);
      continue;
    }
    if (stored.length !== wanted.length) {
      throw new ModelError(`layer "${layer}" has ${stored.length} weights in the file (${stored.map((w) => w.name).join(', ')}) but the model needs ${wanted.length} (${wanted.map((w) => w.name).join(', ')})`, source, 'Use weights saved from the same architecture and options (alpha, include_top)');
    }
    const ordered = byName(wanted, stored) ?? stored;
    wanted.forEach((w, i) => {
      const got = ordered[i];
      if (got.shape.join() !== w.shape.join()) {
        throw new ModelError(`layer "${layer}": weight "${w.name}" is [${got.shape}] in the file ("${got.name}") but the model needs [${w.shape}]`, source, 'Use weights saved from the same architecture and options (alpha, input size with include_top, number of classes)');
      }
      weightSpecs.push({ name: w.name, shape: w.shape, dtype: 'float32' });
      parts.push(got.values);
    });
  }
  if (missing.length > 0) {
    const named = missing.slice(0, 5).map((m) => `"${m}"`).join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
    throw new ModelError(`has no weights for layer${missing.length > 1 ? 's' : ''} ${named}`, source, 'Use weights saved from the same architecture (Keras matches them by layer name)');
  }
  const unused = [...file].filter(([layer, weights]) => weights.length > 0 && !byLayer.has(layer)).map(([layer]) => layer);
  return { weightSpecs, weightData: concatFloats(parts), unused };
}

/** Stored weights in `wanted`'s order when every name matches (`conv1/kernel` ~ `conv1/kernel:0`), else undefined. */
function byName(wanted: readonly ExpectedWeight[], stored: readonly FileWeight[]): FileWeight[] | undefined {
  const found = wanted.map((w) => stored.find((s) => s.name.replace(/:\d+$/, '') === w.name));
  return found.every((f) => f !== undefined) ? (found as FileWeight[]) : undefined;
}

function concatFloats(parts: Float32Array[]): ArrayBuffer {
  const out = new Float32Array(parts.reduce((sum, p) => sum + p.length, 0));
  parts.reduce((offset, p) => (out.set(p, offset), offset + p.length), 0);
  return out.buffer;
}
