// `transfer-lab init`: writes a ready-to-train experiment file with the mission's recipe as defaults.
import { constants } from 'node:fs';
import { access, writeFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import type { Experiment, PhaseSpec } from '../protocol/experiment';
import { validateExperiment } from '../engine/experiment/validate';
import { CATALOG, findCatalogEntry } from '../engine/models/catalog';
import { UsageError } from './usageError';
import type { Preprocessing } from '../shared/preprocessing';

export const STRATEGIES = ['feature-extraction', 'fine-tune'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface InitOptions {
  file: string;
  data: string;
  base: string;
  /** Absent: the run takes the catalog's value or detects it from the model. */
  preprocessing?: Preprocessing;
  /** A weights-only Keras .h5 for the catalog architecture `base` (base.weights). */
  weights?: string;
  strategy: Strategy;
  epochs: number;
  fineTuneEpochs?: number;
  inputSize?: number;
  name?: string;
  force?: boolean;
}

/** Keras' transfer-learning guide: head first at 1e-3, then the top of the base at a tenth of that. */
export function recipePhases(strategy: Strategy, epochs: number, fineTuneEpochs = Math.max(1, Math.ceil(epochs / 2))): PhaseSpec[] {
  const head: PhaseSpec = { name: 'feature-extraction', epochs, batchSize: 32, optimizer: 'adam', learningRate: 1e-3, trainable: { none: true } };
  if (strategy === 'feature-extraction') return [head];
  return [head, { name: 'fine-tune', epochs: fineTuneEpochs, batchSize: 32, optimizer: 'adam', learningRate: 1e-4, trainable: { topBlocks: 2 } }];
}

export async function writeExperimentFile(options: InitOptions): Promise<Experiment> {
  const file = resolve(options.file);
  if (!file.endsWith('.experiment.json')) throw new Error(`${options.file}: name experiment files <name>.experiment.json so editors recognise them`);
  if (!options.force && (await access(file).then(() => true, () => false))) {
    throw new Error(`${file} already exists — choose another name or pass --force to overwrite it`);
  }
  await access(resolve(options.data)).catch(() => {
    throw new Error(`${resolve(options.data)}: data folder not found — give a folder with one sub-folder per class`);
  });
  await checkBase(options.base);
  const dataPath = relative(dirname(file), resolve(options.data)) || '.';
  const draft = {
    name: options.name ?? basename(file, '.experiment.json'),
    seed: 42,
    data: { root: dataPath, split: { val: 0.2, test: 0 }, ...(options.inputSize ? { inputSize: options.inputSize } : {}) },
    base: {
      model: options.base,
      ...(options.preprocessing ? { preprocessing: options.preprocessing } : {}),
      ...(options.weights ? { weights: relative(dirname(file), resolve(options.weights)) } : {}),
    },
    head: { pooling: 'avg', hiddenUnits: 0, dropout: 0.2 },
    phases: recipePhases(options.strategy, options.epochs, options.fineTuneEpochs),
    callbacks: { earlyStopping: { monitor: 'val_loss', patience: 3, restoreBestWeights: true } },
  };
  const experiment = validateExperiment(draft, file);
  await writeFile(file, JSON.stringify(draft, null, 2) + '\n');
  return experiment;
}

/** A base that train would only reject later: not a catalog id, not a readable file or folder, not a URL. */
async function checkBase(base: string): Promise<void> {
  if (findCatalogEntry(base) || /^https?:\/\//i.test(base)) return;
  await access(base, constants.R_OK).catch(() => {
    throw new UsageError(`--base: ${base} is not a catalog id (${CATALOG.map((e) => e.id).join(', ')}), a readable model file or folder, or an http(s) URL`, 'init');
  });
}
