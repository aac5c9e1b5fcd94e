// The experiment file's shape after validation and defaults; mirrors experiment.schema.json (a test keeps them in step).
import type { Preprocessing } from '../shared/preprocessing';

export const ENGINE_CHOICES = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type EngineChoice = (typeof ENGINE_CHOICES)[number];

/** An engine that runs (what `auto` resolves to). */
export type EngineName = Exclude<EngineChoice, 'auto'>;

export type TrainableSpec =
  | { none: true }
  | { all: true }
  | { topLayers: number }
  | { topBlocks: number }
  | { fromLayer: string }
  | { names: string[] }
  | { range: [number, number] };

export interface AugmentationSpec {
  flip: boolean;
  rotationDeg: number;
  zoom: number;
  brightness: number;
  contrast: number;
  /** K ≥ 1: K augmented copies of each training image are cached, one drawn per epoch; 0: augmented live every epoch. */
  views: number;
}

/** How a phase's learning rate moves from `learningRate`: kept, a cosine over its steps (after a linear warmup), or Keras'
 * ReduceLROnPlateau. Omitted numbers take the schema's defaults (Keras' own), filled in by the engine. */
export type LearningRateSchedule =
  | { type: 'constant' }
  | { type: 'cosine'; warmupEpochs?: number; warmupSteps?: number; minLr?: number }
  | { type: 'plateau'; monitor?: 'val_loss' | 'val_accuracy'; factor?: number; patience?: number; minDelta?: number; cooldown?: number; minLr?: number };

export interface PhaseSpec {
  name?: string;
  epochs: number;
  batchSize: number;
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  learningRate: number;
  /** Omitted: constant. */
  learningRateSchedule?: LearningRateSchedule;
  trainable: TrainableSpec;
}

export interface EarlyStoppingSpec {
  monitor: 'val_loss' | 'val_accuracy';
  patience: number;
  minDelta: number;
  restoreBestWeights: boolean;
}

/** Keras' class_weight: "balanced" (n_samples / (n_classes * count_c)), "none", or a weight per class name (others 1). */
export type ClassWeightsSpec = 'balanced' | 'none' | Record<string, number>;

export interface Experiment {
  /** The file format (src/shared/catalogRenames.ts); absent in files written before version 2. */
  version?: 1 | 2;
  name: string;
  seed: number;
  engine: EngineChoice;
  data: {
    kind?: 'image';
    root?: string;
    train?: string;
    val?: string;
    test?: string;
    /** Image files left out of every split, relative to the experiment file. */
    exclude?: string[];
    split: { val: number; test: number };
    inputSize?: number;
    augmentation: AugmentationSpec;
  };
  /** preprocessing: detected from the model when omitted (see src/engine/models/detectPreprocessing.ts); weights: a weights-only Keras .h5 for the catalog architecture named by model. */
  base: { model: string; sha256?: string; featureLayer?: string; preprocessing?: Preprocessing; weights?: string };
  head: { pooling: 'avg' | 'max' | 'flatten'; hiddenUnits: number; dropout: number };
  phases: PhaseSpec[];
  callbacks: { earlyStopping?: EarlyStoppingSpec; checkpoint: { keep: number } };
  /** Omitted: "balanced" when the largest training class has over 1.5× the smallest, else "none". */
  classWeights?: ClassWeightsSpec;
}

export type TextPooling = 'cls' | 'pooled' | 'mean';
export type TextFormat = 'folder' | 'csv' | 'tsv' | 'jsonl';
/** A header name or JSON key, or a 0-based column index in a file without a header. */
export type TextColumn = string | number;

export interface TextDataSpec {
  kind: 'text';
  /** One labelled file or class folder, split by `split`; or explicit train (+ val, test) sources. */
  root?: string;
  train?: string;
  val?: string;
  test?: string;
  format?: TextFormat;
  textColumn?: TextColumn;
  labelColumn?: TextColumn;
  split: { val: number; test: number };
  /** Tokens per text including [CLS] and [SEP]; longer texts are truncated. */
  maxLength: number;
}

/** The same phases, callbacks and seed as an image experiment, with text data, a BERT base and a text head. */
export interface TextExperiment extends Omit<Experiment, 'data' | 'base' | 'head'> {
  data: TextDataSpec;
  base: { model: string; revision?: string };
  head: { pooling: TextPooling; hiddenUnits: number; dropout: number };
}

/** Either kind of experiment file; `data.kind` tells them apart. */
export type AnyExperiment = Experiment | TextExperiment;

export function isTextExperiment(experiment: AnyExperiment): experiment is TextExperiment {
  return experiment.data.kind === 'text';
}

/** A phase's display name: its own, or what it does. */
export function phaseName(phase: PhaseSpec, index: number): string {
  if (phase.name) return phase.name;
  return 'none' in phase.trainable ? `feature-extraction` : `fine-tune${index > 1 ? `-${index}` : ''}`;
}
