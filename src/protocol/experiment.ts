// The experiment file's shape after validation and defaults; mirrors experiment.schema.json (a test keeps them in step).

export type EngineChoice = 'auto' | 'tfjs-node' | 'wasm' | 'cpu';

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
}

export interface PhaseSpec {
  name?: string;
  epochs: number;
  batchSize: number;
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  learningRate: number;
  trainable: TrainableSpec;
}

export interface EarlyStoppingSpec {
  monitor: 'val_loss' | 'val_accuracy';
  patience: number;
  minDelta: number;
  restoreBestWeights: boolean;
}

export interface Experiment {
  name: string;
  seed: number;
  engine: EngineChoice;
  data: {
    root?: string;
    train?: string;
    val?: string;
    test?: string;
    split: { val: number; test: number };
    inputSize?: number;
    augmentation: AugmentationSpec;
  };
  base: { model: string; sha256?: string; featureLayer?: string };
  head: { pooling: 'avg' | 'max' | 'flatten'; hiddenUnits: number; dropout: number };
  phases: PhaseSpec[];
  callbacks: { earlyStopping?: EarlyStoppingSpec; checkpoint: { keep: number } };
}

/** A phase's display name: its own, or what it does. */
export function phaseName(phase: PhaseSpec, index: number): string {
  if (phase.name) return phase.name;
  return 'none' in phase.trainable ? `feature-extraction` : `fine-tune${index > 1 ? `-${index}` : ''}`;
}
