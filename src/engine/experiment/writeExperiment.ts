// `transfer-lab init` and the image sample: write a ready-to-train experiment file with the default recipe.
import { access, writeFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import type { Experiment, PhaseSpec } from '../../protocol/experiment';
import { EXPERIMENT_VERSION } from '../../shared/catalogRenames';
import { DEFAULT_RECIPE, recipePhases } from '../../shared/recipe';
import type { Preprocessing } from '../../shared/preprocessing';
import { validateExperiment } from './validate';

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

/** The default recipe's phases: the head alone, or the head then fine-tuning (src/shared/recipe.ts). */
export function strategyPhases(strategy: Strategy, epochs: number, fineTuneEpochs?: number): PhaseSpec[] {
  return recipePhases({ head: true, fineTune: strategy === 'fine-tune', epochs, fineTuneEpochs });
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
  const dataPath = relative(dirname(file), resolve(options.data)) || '.';
  const draft = {
    version: EXPERIMENT_VERSION,
    name: options.name ?? basename(file, '.experiment.json'),
    seed: DEFAULT_RECIPE.seed,
    data: { root: dataPath, split: { val: DEFAULT_RECIPE.valSplit, test: 0 }, ...(options.inputSize ? { inputSize: options.inputSize } : {}) },
    base: {
      model: options.base,
      ...(options.preprocessing ? { preprocessing: options.preprocessing } : {}),
      ...(options.weights ? { weights: relative(dirname(file), resolve(options.weights)) } : {}),
    },
    head: { pooling: 'avg', hiddenUnits: 0, dropout: 0.2 },
    phases: strategyPhases(options.strategy, options.epochs, options.fineTuneEpochs),
    callbacks: { earlyStopping: { ...DEFAULT_RECIPE.earlyStopping } },
  };
  const experiment = validateExperiment(draft, file);
  await writeFile(file, JSON.stringify(draft, null, 2) + '\n');
  return experiment;
}
