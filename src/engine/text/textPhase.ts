// Builds what one text phase trains, in the image phase's PreparedPhase shape: the frozen part of BERT runs once
// into the feature cache (pooled vectors, the final [CLS] state, or the hidden states entering the first trainable
// encoder layer); only the trainable layers and the head run every step.
import * as tf from '@tensorflow/tfjs';
import type { ProgressMessage } from '../../protocol/host';
import type { Sample } from '../data/types';
import type { Forward } from '../training/evaluate';
import { FeatureStore } from '../training/featureStore';
import { cachedSource, evaluationBatchSize } from '../training/sources';
import { variablesOf, type PreparedPhase } from '../training/phaseSetup';
import type { BertBase } from './bertBase';
import { firstTrainableLayer, weightNamesOf } from './bertLayers';
import type { TextPooling } from './bertModel';
import { hiddenSource, idsSource } from './textBatches';
import { ensureTextFeatures } from './textFeatures';

export interface TextPhaseContext {
  base: BertBase;
  head: tf.LayersModel;
  pooling: TextPooling;
  maxLength: number;
  texts: Map<string, string>;
  trainSamples: Sample[];
  seed: number;
  cacheDir: string;
  signal?: AbortSignal;
  progress(message: ProgressMessage): void;
}

type Frozen = { kind: 'pooled' | 'cls' | 'hidden'; output: string; shape: number[]; compute: (ids: tf.Tensor2D) => tf.Tensor } | { kind: 'none' };

/** What the cache holds for a phase whose first trainable encoder layer is `first` (−1: embeddings train). */
function frozenPart(ctx: TextPhaseContext, trainsAnything: boolean, first: number): Frozen {
  const { model, tokenizer, config } = ctx.base;
  const h = config.hiddenSize;
  const pad = tokenizer.padId;
  if (!trainsAnything) return { kind: 'pooled', output: `pooled:${ctx.pooling}`, shape: [h], compute: (ids) => model.forward(ids, pad, ctx.pooling) };
  if (first < 0) return { kind: 'none' };
  if (first === config.numLayers) {
    return { kind: 'cls', output: 'cls-state', shape: [h], compute: (ids) => model.forward(ids, pad, 'cls') };
  }
  return {
    kind: 'hidden', output: `hidden+mask:encoder.layer.${first}`, shape: [ctx.maxLength, h + 1],
    compute: (ids) => {
      const mask = model.maskOf(ids, pad);
      return tf.concat([model.encode(model.embed(ids), mask, 0, first), tf.expandDims(mask, 2)], 2);
    },
  };
}

export async function prepareTextPhase(ctx: TextPhaseContext, trainableLayers: ReadonlySet<string>, batchSize: number): Promise<PreparedPhase> {
  const { model, tokenizer, config, info } = ctx.base;
  const names = weightNamesOf(model, trainableLayers);
  for (const [name, variable] of model.weights) variable.trainable = names.includes(name);
  const first = firstTrainableLayer(config, names);
  const frozen = frozenPart(ctx, names.length > 0, first);
  const h = config.hiddenSize;
  const head = (x: tf.Tensor, training: boolean) => ctx.head.apply(x, { training }) as tf.Tensor2D;
  const forwards: Record<Frozen['kind'], Forward> = {
    pooled: head,
    cls: (x, training) => head(model.applyPooler(x as tf.Tensor2D), training),
    hidden: (x, training) => {
      const [batch, length] = x.shape;
      const hidden = tf.slice(x, [0, 0, 0], [batch, length, h]) as tf.Tensor3D;
      const mask = tf.reshape(tf.slice(x, [0, 0, h], [batch, length, 1]), [batch, length]) as tf.Tensor2D;
      return head(model.pool(model.encode(hidden, mask, first), mask, ctx.pooling), training);
    },
    none: (ids, training) => head(model.forward(ids as tf.Tensor2D, tokenizer.padId, ctx.pooling), training),
  };

  const store = frozen.kind === 'none' ? undefined : new FeatureStore(ctx.cacheDir, {
    modelFingerprint: info.fingerprint, output: frozen.output, inputSize: ctx.maxLength, preprocessing: `wordpiece:${tokenizer.fingerprint}`, resize: 'fill',
  }, frozen.shape);
  const source = async (samples: Sample[], shuffleSeed?: number, rowsPerBatch = batchSize) => {
    if (frozen.kind === 'none' || !store) return idsSource(samples, ctx.texts, tokenizer, ctx.maxLength, batchSize, shuffleSeed);
    const items = await ensureTextFeatures({
      samples, texts: ctx.texts, store, tokenizer, maxLength: ctx.maxLength, batchSize, compute: frozen.compute, signal: ctx.signal,
      onProgress: (done, total) => ctx.progress({ stage: 'features', done, total, message: `computing ${frozen.output} for ${total} texts` }),
    });
    return frozen.kind === 'hidden' ? hiddenSource(items, store, rowsPerBatch, shuffleSeed) : cachedSource(items, store, rowsPerBatch, shuffleSeed);
  };

  const variables = [...variablesOf(ctx.head.layers), ...names.map((name) => model.weights.get(name)!)];
  const description = frozen.kind === 'none' ? 'embeddings train: the whole encoder runs every step'
    : frozen.kind === 'hidden' ? `hidden states entering encoder.layer.${first} cached; encoder layers ${first}–${config.numLayers - 1} and the head train`
    : `${frozen.output} cached`;
  return {
    forward: forwards[frozen.kind],
    variables,
    train: await source(ctx.trainSamples, ctx.seed),
    evaluationSource: (samples) => source(samples, undefined, evaluationBatchSize(batchSize, store?.length)),
    trainableParams: variables.reduce((sum, v) => sum + v.size, 0),
    description,
  };
}
