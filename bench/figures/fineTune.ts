// Fine-tuning MobileNetV2's top blocks (block_16 and Conv_1) on cached block_15 activations, as the engine does:
// one epoch against a forward pass of the same layers over the same batches, and against the naive way (the whole
// network forward every step, gradients for the same weights).
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { applyTrainable, resolveTrainable } from '../../src/engine/models/freeze';
import { describeLayers } from '../../src/engine/models/layerTree';
import { loadBaseModel } from '../../src/engine/models/load';
import { splitModel } from '../../src/engine/models/split';
import type { Forward } from '../../src/engine/training/evaluate';
import { ensureActivations } from '../../src/engine/training/features';
import { FeatureStore } from '../../src/engine/training/featureStore';
import { createHeadLayers, createPooling, headModel } from '../../src/engine/training/head';
import { runPhaseLoop } from '../../src/engine/training/loop';
import { releaseAllPools } from '../../src/engine/training/parallelPool';
import { frozenRecipe } from '../../src/engine/training/parallelRecipe';
import { cachedSource, liveSource, type BatchSource } from '../../src/engine/training/sources';
import type { BenchContext } from '../context';
import { interleaved, log, seconds } from '../measure';
import { samplesIn } from '../onePass';
import { figure, type Figure } from '../report';

const NO_VALIDATION: BatchSource = { count: 0, skipped: [], async *epoch() {} };

export async function fineTuneFigures(ctx: BenchContext): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const { inputSize, batchSize } = ctx;
  const cacheDir = join(ctx.work, 'cache-fine-tune');
  const { model, info } = await loadBaseModel('nsfwjs_mobilenet_v2', { inputSize, cacheDir });
  const trainable = resolveTrainable(describeLayers(model), { topBlocks: 2 });
  applyTrainable(model, trainable);
  const split = splitModel(model, model.layers.find((layer) => trainable.has(layer.name))!.name);
  const prefix = split.prefix!;
  const samples = await samplesIn(ctx.images.train);
  const store = new FeatureStore(cacheDir, { modelFingerprint: info.fingerprint, output: split.boundary!, inputSize, preprocessing: info.preprocessing, resize: 'fill' }, prefix.outputs[0].shape.slice(1) as number[]);
  log(`fine-tuning: caching ${split.boundary} for ${samples.length} images`);
  const cached = await ensureActivations({
    samples, store, frozenBase: { model, recipe: frozenRecipe('wasm', info, cacheDir, { layer: split.boundary! })! }, inputSize, preprocessing: info.preprocessing, batchSize,
  });
  await releaseAllPools();

  const pool = createPooling('avg');
  const classes = new Set(samples.map((s) => s.label)).size;
  const headLayers = createHeadLayers({ pooling: 'avg', hiddenUnits: 0, dropout: 0.2 }, classes, 42);
  const head = headModel((pool.computeOutputShape(model.outputs[0].shape) as number[]).slice(1), headLayers);
  const variables = [...headLayers, ...model.layers.filter((layer) => trainable.has(layer.name))]
    .flatMap((layer) => layer.trainableWeights.map((weight) => weight.read() as tf.Variable));
  const onTop: Forward = (x, training) => head.apply(pool.apply(split.top.apply(x, { training: false })), { training }) as tf.Tensor2D;
  const whole: Forward = (x, training) => head.apply(pool.apply(model.apply(x, { training: false })), { training }) as tf.Tensor2D;
  const optimizer = tf.train.adam(1e-4);
  const activations = cachedSource(cached.items, store, batchSize, 42);
  const images = liveSource(samples, { inputSize, preprocessing: info.preprocessing, batchSize, shuffleSeed: 42 });
  let epoch = 0;
  const trainEpoch = (forward: Forward, train: BatchSource) => runPhaseLoop({
    forward, variables, optimizer, train, val: NO_VALIDATION, firstEpoch: ++epoch, lastEpoch: epoch, batchSize, callbacks: [],
  });
  const forwardPass = async () => {
    for await (const batch of activations.epoch(++epoch)) {
      tf.tidy(() => onTop(batch.x, false)).dispose();
      tf.dispose([batch.x, batch.labels]);
    }
  };

  await forwardPass();
  await trainEpoch(onTop, activations);
  log('  fine-tuning epoch vs forward pass of the same layers');
  const timed = await interleaved(ctx.quick ? 1 : 3, { forward: forwardPass, fineTune: () => trainEpoch(onTop, activations) });
  log('  naive epoch: the whole network forward every step');
  const naive = await seconds(() => trainEpoch(whole, images));
  optimizer.dispose();
  model.dispose();
  head.dispose();

  const trainedParams = variables.reduce((sum, v) => sum + v.size, 0);
  return {
    details: { rounds: { forward: timed.forward.all, fineTune: timed.fineTune.all }, naiveSeconds: naive, cachedBy: cached.computedBy },
    figures: [
      figure({
        id: 'fine-tune-vs-forward', kind: 'ratio', label: `fine-tuning epoch, top blocks on cached ${split.boundary}`, value: timed.fineTune.median, unit: 's',
        baseline: { label: 'forward pass of the same layers', value: timed.forward.median, unit: 's' }, target: { op: '<=', value: 4 },
        note: `${samples.length} images at ${inputSize} px, batch ${batchSize}, ${trainedParams.toLocaleString('en-US')} trained parameters, adam; medians of ${timed.fineTune.all.length} interleaved rounds`,
      }),
      figure({
        id: 'fine-tune-vs-naive', kind: 'speedup', label: 'same epoch vs naive whole-network forward + backward', value: timed.fineTune.median, unit: 's',
        baseline: { label: 'naive epoch (base runs every step)', value: naive, unit: 's' },
      }),
    ],
  };
}
