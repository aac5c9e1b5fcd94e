// What every figure shares: the scratch folder of this run, the image set and the sizes (smaller with --quick).
import type { ImageSet } from './imageSets';

export interface BenchContext {
  /** Scratch folder of this run (feature caches, runs, experiment files), removed at the end. */
  work: string;
  quick: boolean;
  /** Small enough for the Keras recipe (the base every epoch) to finish within the bench's budget. */
  images: ImageSet;
  /** The whole set (cats_and_dogs: TensorFlow's tutorial data) for figures whose baseline is cheap. */
  fullImages: ImageSet;
  /** Input size of the experiment and fine-tuning figures (TensorFlow's tutorial uses 160). */
  inputSize: number;
  batchSize: number;
  epochs: number;
}
