// The new classifier put on top of the base: pooling, an optional hidden layer, dropout, logits.
import * as tf from '@tensorflow/tfjs';
import type { Experiment } from '../../protocol/experiment';
import { deriveSeed } from '../random';

type HeadSpec = Experiment['head'];

/** Pooling turns the base's feature map into a vector; it has no weights, so its output is what the cache stores. */
export function createPooling(pooling: HeadSpec['pooling']): tf.layers.Layer {
  if (pooling === 'max') return tf.layers.globalMaxPooling2d({ name: 'head_pool' });
  if (pooling === 'flatten') return tf.layers.flatten({ name: 'head_pool' });
  return tf.layers.globalAveragePooling2d({ name: 'head_pool' });
}

/** Head layers in order; initialisers and dropout are seeded so one seed gives one run. */
export function createHeadLayers(spec: HeadSpec, numClasses: number, seed: number): tf.layers.Layer[] {
  const init = (purpose: string) => tf.initializers.glorotUniform({ seed: deriveSeed(seed, purpose) });
  const layers: tf.layers.Layer[] = [];
  if (spec.hiddenUnits > 0) {
    layers.push(tf.layers.dense({ units: spec.hiddenUnits, activation: 'relu', name: 'head_hidden', kernelInitializer: init('hidden') }));
  }
  if (spec.dropout > 0) layers.push(tf.layers.dropout({ rate: spec.dropout, name: 'head_dropout', seed: deriveSeed(seed, 'dropout') }));
  layers.push(tf.layers.dense({ units: numClasses, name: 'head_logits', kernelInitializer: init('logits') }));
  return layers;
}

/** The head as a model on pooled features, sharing the given layer objects. */
export function headModel(featureShape: number[], layers: tf.layers.Layer[]): tf.LayersModel {
  const input = tf.input({ shape: featureShape, name: 'head_input' });
  let x: tf.SymbolicTensor = input;
  for (const layer of layers) x = layer.apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x, name: 'head' });
}
