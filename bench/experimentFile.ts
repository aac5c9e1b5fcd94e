// Experiment files the bench trains through the CLI: feature extraction only, no early stopping, so every run
// does exactly `epochs` epochs.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface BenchExperiment {
  name: string;
  train: string;
  val?: string;
  inputSize: number;
  epochs: number;
  batchSize: number;
  /** data.augmentation (none when omitted). */
  augmentation?: Record<string, unknown>;
}

export async function writeExperiment(dir: string, spec: BenchExperiment): Promise<string> {
  const file = join(dir, `${spec.name}.experiment.json`);
  const experiment = {
    name: spec.name,
    seed: 42,
    engine: 'wasm',
    data: { train: spec.train, ...(spec.val ? { val: spec.val } : {}), inputSize: spec.inputSize, split: { val: spec.val ? 0 : 0.1, test: 0 }, ...(spec.augmentation ? { augmentation: spec.augmentation } : {}) },
    base: { model: 'nsfwjs_mobilenet_v2' },
    head: { pooling: 'avg', hiddenUnits: 0, dropout: 0.2 },
    phases: [{ name: 'feature-extraction', epochs: spec.epochs, batchSize: spec.batchSize, optimizer: 'adam', learningRate: 0.001, trainable: { none: true } }],
  };
  await writeFile(file, JSON.stringify(experiment, null, 2));
  return file;
}
