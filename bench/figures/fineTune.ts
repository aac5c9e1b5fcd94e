// Fine-tuning as the engine does it (the frozen prefix's output cached, gradients only for the trainable layers): one
// epoch against a forward pass of the same layers over the same batches, for MobileNetV2's top blocks, every layer of
// MobileNetV2 and ResNet50's top block; and MobileNetV2's top blocks against the naive way (the whole network forward
// every step, gradients for the same weights).
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import type { TrainableSpec } from '../../src/protocol/experiment';
import { applyTrainable, resolveTrainable } from '../../src/engine/models/freeze';
import { describeLayers } from '../../src/engine/models/layerTree';
import { loadBaseModel } from '../../src/engine/models/load';
import { splitModel } from '../../src/engine/models/split';
import { skipFrozenInputGradients } from '../../src/engine/models/frozenInputConvs';
import type { Forward } from '../../src/engine/training/evaluate';
import { ensureActivations } from '../../src/engine/training/features';
import { FeatureStore } from '../../src/engine/training/featureStore';
import { createHeadLayers, createPooling, headModel } from '../../src/engine/training/head';
import { createOptimizer } from '../../src/engine/training/learningRate';
import { runPhaseLoop } from '../../src/engine/training/loop';
import { releaseAllPools } from '../../src/engine/training/parallelPool';
import { frozenRecipe } from '../../src/engine/training/parallelRecipe';
import { cachedSource, liveSource, type Batch, type BatchSource } from '../../src/engine/training/sources';
import type { BenchContext } from '../context';
import { interleaved, log, seconds } from '../measure';
import { samplesIn } from '../onePass';
import { figure, type Figure } from '../report';

const NO_VALIDATION: BatchSource = { count: 0, skipped: [], async *epoch() {} };

export interface Case {
  id: string;
  ref: string;
  spec: TrainableSpec;
  what: string;
  target: number;
  /** Also time the naive epoch (whole network forward every step) for this case. */
  naive?: boolean;
}

export const FINE_TUNE_CASES: Case[] = [
  { id: 'fine-tune-vs-forward', ref: 'nsfwjs_mobilenet_v2', spec: { topBlocks: 2 }, what: "MobileNetV2's top blocks", target: 3, naive: true },
  { id: 'fine-tune-all-vs-forward', ref: 'nsfwjs_mobilenet_v2', spec: { all: true }, what: 'every layer of MobileNetV2', target: 3.5 },
  { id: 'fine-tune-resnet50-vs-forward', ref: 'resnet50', spec: { topBlocks: 1 }, what: "ResNet50's top block (random weights)", target: 3.5 },
];

/** The batches of one epoch of `source`, decoded once and kept: every epoch then costs compute only. */
async function inMemory(source: BatchSource): Promise<{ source: BatchSource; dispose(): void }> {
  const kept: Batch[] = [];
  for await (const batch of source.epoch(1)) kept.push(batch);
  return {
    source: { count: source.count, skipped: [], async *epoch() { for (const b of kept) yield { ...b, x: b.x.clone(), labels: b.labels.clone() }; } },
    dispose: () => kept.forEach((b) => tf.dispose([b.x, b.labels])),
  };
}

async function fineTuneCase(c: Case, ctx: BenchContext): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const { inputSize, batchSize } = ctx;
  const cacheDir = join(ctx.work, 'cache-fine-tune');
  const { model, info } = await loadBaseModel(c.ref, { inputSize, cacheDir, download: false });
  const trainable = resolveTrainable(describeLayers(model), c.spec);
  applyTrainable(model, trainable);
  const split = splitModel(model, model.layers.find((layer) => trainable.has(layer.name))!.name);
  skipFrozenInputGradients(split.top);
  const samples = await samplesIn(ctx.images.train);
  const images = liveSource(samples, { inputSize, preprocessing: info.preprocessing, batchSize, shuffleSeed: 42 });
  let cachedBy = 'none: every layer trains, the input images are decoded once and kept';
  let activations: { source: BatchSource; dispose(): void };
  if (split.prefix) {
    const store = new FeatureStore(cacheDir, { modelFingerprint: info.fingerprint, output: split.boundary!, inputSize, preprocessing: info.preprocessing, resize: 'fill' }, split.prefix.outputs[0].shape.slice(1) as number[]);
    log(`fine-tuning ${c.what}: caching ${split.boundary} for ${samples.length} images`);
    const recipe = frozenRecipe('wasm', info, cacheDir, { layer: split.boundary! })!;
    const cached = await ensureActivations({
      samples, store, frozenBase: { model, recipe: { ...recipe, base: { ...recipe.base, download: false } } }, inputSize, preprocessing: info.preprocessing, batchSize,
    });
    cachedBy = cached.computedBy;
    activations = { source: cachedSource(cached.items, store, batchSize, 42), dispose() {} };
  } else {
    log(`fine-tuning ${c.what}: decoding ${samples.length} images once`);
    activations = await inMemory(images);
  }
  await releaseAllPools();

  const pool = createPooling('avg');
  const classes = new Set(samples.map((s) => s.label)).size;
  const headLayers = createHeadLayers({ pooling: 'avg', hiddenUnits: 0, dropout: 0.2 }, classes, 42);
  const head = headModel((pool.computeOutputShape(model.outputs[0].shape) as number[]).slice(1), headLayers);
  const variables = [...headLayers, ...model.layers.filter((layer) => trainable.has(layer.name))]
    .flatMap((layer) => layer.trainableWeights.map((weight) => weight.read() as tf.Variable));
  const onTop: Forward = (x, training) => head.apply(pool.apply(split.top.apply(x, { training: false })), { training }) as tf.Tensor2D;
  const whole: Forward = (x, training) => head.apply(pool.apply(model.apply(x, { training: false })), { training }) as tf.Tensor2D;
  const optimizer = createOptimizer({ optimizer: 'adam', learningRate: 1e-4 });
  let epoch = 0;
  const trainEpoch = (forward: Forward, train: BatchSource) => runPhaseLoop({
    forward, variables, optimizer, train, val: NO_VALIDATION, firstEpoch: ++epoch, lastEpoch: epoch, batchSize, callbacks: [],
  });
  const forwardPass = async () => {
    for await (const batch of activations.source.epoch(++epoch)) {
      tf.tidy(() => onTop(batch.x, false)).dispose();
      tf.dispose([batch.x, batch.labels]);
    }
  };

  try {
    await forwardPass();
    await trainEpoch(onTop, activations.source);
    log(`  fine-tuning epoch of ${c.what} vs forward pass of the same layers`);
    const timed = await interleaved(ctx.quick ? 1 : 3, { forward: forwardPass, fineTune: () => trainEpoch(onTop, activations.source) });
    const trainedParams = variables.reduce((sum, v) => sum + v.size, 0);
    const from = split.boundary ? `on cached ${split.boundary}` : 'on the images';
    const figures = [figure({
      id: c.id, kind: 'ratio', label: `fine-tuning epoch, ${c.what} ${from}`, value: timed.fineTune.median, unit: 's',
      baseline: { label: 'forward pass of the same layers', value: timed.forward.median, unit: 's' }, target: { op: '<=', value: c.target },
      note: `${samples.length} images at ${inputSize} px, batch ${batchSize}, ${trainedParams.toLocaleString('en-US')} trained parameters, adam; medians of ${timed.fineTune.all.length} interleaved rounds`,
    })];
    const details: Record<string, unknown> = { rounds: { forward: timed.forward.all, fineTune: timed.fineTune.all }, cachedBy };
    if (c.naive) {
      log('  naive epoch: the whole network forward every step');
      const naive = await seconds(() => trainEpoch(whole, images));
      details.naiveSeconds = naive;
      figures.push(figure({
        id: 'fine-tune-vs-naive', kind: 'speedup', label: 'same epoch vs naive whole-network forward + backward', value: timed.fineTune.median, unit: 's',
        baseline: { label: 'naive epoch (base runs every step)', value: naive, unit: 's' },
      }));
    }
    return { figures, details };
  } finally {
    activations.dispose();
    optimizer.dispose();
    model.dispose();
    head.dispose();
  }
}

export async function fineTuneFigures(ctx: BenchContext): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  for (const c of FINE_TUNE_CASES) {
    const result = await fineTuneCase(c, ctx);
    figures.push(...result.figures);
    details[c.id] = result.details;
  }
  return { figures, details };
}
