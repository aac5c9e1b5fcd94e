// Builds what one phase trains: the forward pass, its variables, and where its inputs come from (cache or live).
import * as tf from '@tensorflow/tfjs';
import type { Sample } from '../data';
import { isAugmentActive } from '../data';
import type { Experiment } from '../../protocol/experiment';
import type { ProgressMessage } from '../../protocol/host';
import type { Preprocessing } from '../models/preprocess';
import { applyTrainable } from '../models/freeze';
import { splitModel } from '../models/split';
import { skipFrozenInputGradients } from '../models/frozenInputConvs';
import type { Forward } from './evaluate';
import { ensureActivations, type ActivationJob } from './features';
import { featureKey, FeatureStore, pooledOutput } from './featureStore';
import type { FrozenRecipe } from './parallelRecipe';
import { deriveSeed } from '../random';
import { cachedSource, evaluationBatchSize, liveSource, type BatchSource } from './sources';
import { viewSource, type CachedView } from './viewSource';

export interface PhaseContext {
  base: tf.LayersModel;
  fingerprint: string;
  cutLayer: string;
  inputSize: number;
  preprocessing: Preprocessing;
  pool: tf.layers.Layer;
  head: tf.LayersModel;
  experiment: Experiment;
  trainSamples: Sample[];
  cacheDir: string;
  signal?: AbortSignal;
  progress(message: ProgressMessage): void;
  /** How worker threads rebuild the frozen part (engines that use one thread per process); undefined otherwise. */
  recipeFor?(output: FrozenRecipe['output']): FrozenRecipe | undefined;
  skipped(files: { path: string; reason: string }[]): void;
}

export interface PreparedPhase {
  forward: Forward;
  variables: tf.Variable[];
  train: BatchSource;
  /** A non-shuffled, non-augmented source over any sample list (validation, test). */
  evaluationSource(samples: Sample[]): Promise<BatchSource>;
  trainableParams: number;
  /** Where the cached part ends, for logs: e.g. "features of out_relu cached" or "activations of block_15_add cached". */
  description: string;
}

function shapeWithoutBatch(shape: tf.Shape | tf.Shape[]): number[] {
  return (shape as (number | null)[]).slice(1) as number[];
}

/** The trainable variables of these layers (a head's, or the base layers a phase unfreezes). */
export function variablesOf(layers: tf.layers.Layer[]): tf.Variable[] {
  return layers.flatMap((layer) => layer.trainableWeights.map((weight) => weight.read() as tf.Variable));
}

export async function preparePhase(ctx: PhaseContext, trainable: Set<string>, batchSize: number): Promise<PreparedPhase> {
  applyTrainable(ctx.base, trainable);
  const augment = ctx.experiment.data.augmentation;
  const seed = ctx.experiment.seed;
  const firstTrainable = ctx.base.layers.find((layer) => trainable.has(layer.name));
  const split = firstTrainable ? splitModel(ctx.base, firstTrainable.name) : undefined;
  if (split) skipFrozenInputGradients(split.top);
  const trainedBaseLayers = ctx.base.layers.filter((layer) => trainable.has(layer.name));

  // Frozen part: everything before the cut (or the whole base plus pooling in feature extraction).
  const frozen: ((x: tf.Tensor4D) => tf.Tensor) | undefined = !split
    ? (x) => ctx.pool.apply(ctx.base.apply(x)) as tf.Tensor
    : split.prefix ? (x) => split.prefix!.apply(x) as tf.Tensor : undefined;
  const frozenOutput = !split ? pooledOutput(ctx.cutLayer, ctx.experiment.head.pooling) : split.boundary;
  const frozenShape = !split
    ? shapeWithoutBatch(ctx.pool.computeOutputShape(ctx.base.outputs[0].shape))
    : split.prefix ? shapeWithoutBatch(split.prefix.outputs[0].shape) : [];
  const storeOf = (view?: string) => new FeatureStore(ctx.cacheDir, featureKey(ctx, frozenOutput!, view), frozenShape);
  const store = frozen && frozenOutput ? storeOf() : undefined;

  const recipe = frozen ? ctx.recipeFor?.(!split ? { pooling: ctx.experiment.head.pooling } : { layer: split.boundary! }) : undefined;
  const computation = recipe ? { frozenBase: { model: ctx.base, recipe } } : { forward: frozen! };
  const live = { inputSize: ctx.inputSize, preprocessing: ctx.preprocessing, batchSize, frozen };
  const activations = async (samples: Sample[], into: FeatureStore, what: string, distort?: ActivationJob['augment']) => {
    const result = await ensureActivations({
      samples, store: into, ...computation, inputSize: ctx.inputSize, preprocessing: ctx.preprocessing, batchSize, signal: ctx.signal, augment: distort,
      onProgress: (done, total) => ctx.progress({ stage: 'features', done, total, message: `computing ${frozenOutput} for ${total} ${what}` }),
    });
    ctx.skipped(result.skipped);
    return result.items;
  };
  const cached = async (samples: Sample[], shuffleSeed?: number, rowsPerBatch = batchSize): Promise<BatchSource> => {
    if (!store || !frozen) return liveSource(samples, { ...live, shuffleSeed });
    return cachedSource(await activations(samples, store, 'images'), store, rowsPerBatch, shuffleSeed);
  };
  // Each view's cache key holds its distortions, seed and index only: views 1–4 are shared by K = 4 and K = 8.
  const { views, ...spec } = augment;
  const augmentedViews = async (): Promise<BatchSource> => {
    const cachedViews: CachedView[] = [];
    for (let view = 0; view < views; view++) {
      const { flip, rotationDeg, zoom, brightness, contrast } = spec; // a fixed order: how the file lists them does not matter
      const viewStore = storeOf(JSON.stringify({ flip, rotationDeg, zoom, brightness, contrast, seed, view }));
      const what = `images (augmented view ${view + 1}/${views})`;
      cachedViews.push({ store: viewStore, items: await activations(ctx.trainSamples, viewStore, what, { spec, seed: deriveSeed(seed, `view:${view}`) }) });
    }
    return viewSource(cachedViews, batchSize, seed);
  };
  const mode = !isAugmentActive(spec) ? 'clean' : views > 0 && store ? 'views' : 'live';
  const train = mode === 'views' ? await augmentedViews()
    : mode === 'live' ? liveSource(ctx.trainSamples, { ...live, shuffleSeed: seed, augment: spec })
    : await cached(ctx.trainSamples, seed);
  const descriptions = {
    clean: 'cached',
    views: `cached for ${views} augmented views of each training image (one drawn per epoch) and for evaluation`,
    live: 'computed live for augmented training images, cached for evaluation',
  };

  const top = split?.top;
  const forward: Forward = top
    ? (x, training) => ctx.head.apply(ctx.pool.apply(top.apply(x, { training: false })), { training }) as tf.Tensor2D
    : (x, training) => ctx.head.apply(x, { training }) as tf.Tensor2D;
  const variables = [...variablesOf(ctx.head.layers), ...variablesOf(trainedBaseLayers)];
  return {
    forward,
    variables,
    train,
    evaluationSource: (samples) => cached(samples, undefined, evaluationBatchSize(batchSize, store?.length)),
    trainableParams: variables.reduce((sum, v) => sum + v.size, 0),
    description: store ? `${frozenOutput} ${descriptions[mode]}` : 'whole network runs every epoch',
  };
}
