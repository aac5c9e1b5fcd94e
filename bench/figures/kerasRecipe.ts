// The baseline of the feature-extraction figure: TensorFlow's transfer-learning tutorial done literally in tfjs —
// the frozen base inside one model trained with fitDataset, images decoded and the base run on every epoch.
import * as tf from '@tensorflow/tfjs';
import { imageBatches, scanDataset, type Sample } from '../../src/engine/data';
import { loadBaseModel } from '../../src/engine/models/load';
import { pixelsToInput } from '../../src/engine/training/tensors';
import type { ImageSet } from '../imageSets';

export interface RecipeOptions {
  inputSize: number;
  epochs: number;
  batchSize: number;
  cacheDir: string;
}

async function samplesOf(folder: string): Promise<{ samples: Sample[]; classes: number }> {
  const scan = await scanDataset(folder);
  return { samples: scan.samples.train, classes: scan.classes.length };
}

/** Seconds from loading the base to the end of the last epoch's validation, and the final validation accuracy. */
export async function kerasRecipe(set: ImageSet, options: RecipeOptions): Promise<{ seconds: number; valAccuracy: number }> {
  const started = performance.now();
  const { inputSize: size, batchSize } = options;
  const train = await samplesOf(set.train);
  const val = await samplesOf(set.val);
  const { model: base, info } = await loadBaseModel('nsfwjs_mobilenet_v2', { inputSize: size, cacheDir: options.cacheDir });
  base.trainable = false;
  const input = tf.input({ shape: [size, size, 3] });
  const features = base.apply(input, { training: false }) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(features);
  const dropped = tf.layers.dropout({ rate: 0.2, seed: 42 }).apply(pooled);
  const output = tf.layers.dense({ units: train.classes, activation: 'softmax' }).apply(dropped) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  let epoch = 0;
  const dataset = (samples: Sample[], shuffle: boolean) => tf.data.generator((async function* () {
    const shuffleSeed = shuffle ? 42 + epoch++ : undefined;
    for await (const batch of imageBatches(samples, { size, batchSize, shuffleSeed })) {
      yield tf.tidy(() => ({
        xs: pixelsToInput(batch.pixels, size, info.preprocessing),
        ys: tf.oneHot(tf.tensor1d(batch.labels, 'int32'), train.classes),
      }));
    }
  }) as unknown as () => Iterator<tf.TensorContainer>);
  const history = await model.fitDataset(dataset(train.samples, true), { epochs: options.epochs, validationData: dataset(val.samples, false), verbose: 0 });
  const seconds = (performance.now() - started) / 1000;
  model.dispose();
  const accuracy = history.history.val_acc ?? history.history.val_accuracy;
  return { seconds, valAccuracy: Number(accuracy?.at(-1) ?? NaN) };
}
