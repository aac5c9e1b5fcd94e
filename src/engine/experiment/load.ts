// Reads an experiment file from disk and resolves its paths against the file's folder.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Experiment } from '../../protocol/experiment';
import { legacyBaseRename, type BaseRename } from '../../shared/catalogRenames';
import { ExperimentError, validateExperiment } from './validate';

export interface LoadedExperiment {
  file: string;
  experiment: Experiment;
  /** Data folders as absolute paths. */
  folders: { root?: string; train?: string; val?: string; test?: string };
  /** The base model reference with a relative file path made absolute (catalog ids and URLs unchanged). */
  baseModelRef: string;
  /** base.weights as an absolute path. */
  baseWeights?: string;
  /** data.exclude as absolute paths. */
  exclude: string[];
  /** A file written before the catalog rename names its base by its old id (the run log says so). */
  renamed?: BaseRename;
}

/** Catalog ids are bare words and URLs have a scheme; anything else names a file. */
function isFileRef(ref: string): boolean {
  if (/^https?:\/\//.test(ref)) return false;
  return ref.includes('/') || ref.includes('\\') || ref.endsWith('.json');
}

export function resolveExperiment(experiment: Experiment, file: string): LoadedExperiment {
  const here = dirname(resolve(file));
  const abs = (p?: string) => (p === undefined ? undefined : resolve(here, p));
  const { root, train, val, test } = experiment.data;
  return {
    file: resolve(file),
    experiment,
    folders: { root: abs(root), train: abs(train), val: abs(val), test: abs(test) },
    baseModelRef: isFileRef(experiment.base.model) ? resolve(here, experiment.base.model) : experiment.base.model,
    baseWeights: abs(experiment.base.weights),
    exclude: (experiment.data.exclude ?? []).map((p) => resolve(here, p)),
  };
}

export async function loadExperimentFile(file: string): Promise<LoadedExperiment> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ExperimentError(file, [`cannot read the file (${(error as NodeJS.ErrnoException).code}) — check the path`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ExperimentError(file, [`not valid JSON: ${(error as Error).message} — fix the syntax`]);
  }
  return { ...resolveExperiment(validateExperiment(json, file), file), renamed: legacyBaseRename(json) };
}
