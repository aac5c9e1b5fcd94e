// The experiment file of a text run (data.kind "text"): the image experiment's phases, callbacks and seed, with
// text data, a BERT base and a text head. One schema describes both kinds, so the editor and the engine agree.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isTextExperiment, type TextExperiment } from '../../protocol/experiment';
import { ExperimentError, validateAnyExperiment } from '../experiment/validate';

export type { TextDataSpec, TextExperiment } from '../../protocol/experiment';

export function isTextExperimentJson(value: unknown): boolean {
  return (value as { data?: { kind?: unknown } } | null)?.data?.kind === 'text';
}

/** For the host's train/resume dispatch: true when the file is a text experiment (false when unreadable). */
export async function isTextExperimentFile(file: string): Promise<boolean> {
  return readFile(file, 'utf8').then((text) => isTextExperimentJson(JSON.parse(text)), () => false);
}

export function validateTextExperiment(value: unknown, file: string): TextExperiment {
  const experiment = validateAnyExperiment(value, file);
  if (!isTextExperiment(experiment)) throw new ExperimentError(file, ['data.kind: must be "text" for a text experiment']);
  return experiment;
}

export interface LoadedTextExperiment {
  file: string;
  experiment: TextExperiment;
  /** Data sources as absolute paths. */
  sources: { root?: string; train?: string; val?: string; test?: string };
  /** A local checkpoint folder made absolute; a hub id unchanged. */
  baseRef: string;
}

/** Paths resolve against the experiment file's folder; "hf:" or an owner/name that is no folder there is a hub id. */
export function resolveTextExperiment(experiment: TextExperiment, file: string): LoadedTextExperiment {
  const here = dirname(resolve(file));
  const abs = (p?: string) => (p === undefined ? undefined : resolve(here, p));
  const { root, train, val, test } = experiment.data;
  const ref = experiment.base.model;
  const local = !ref.startsWith('hf:') && (isAbsolute(ref) || ref.startsWith('.') || existsSync(resolve(here, ref)));
  return { file: resolve(file), experiment, sources: { root: abs(root), train: abs(train), val: abs(val), test: abs(test) }, baseRef: local ? resolve(here, ref) : ref };
}

export async function loadTextExperimentFile(file: string): Promise<LoadedTextExperiment> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ExperimentError(file, [`cannot read it as JSON (${(error as Error).message})`]);
  }
  return resolveTextExperiment(validateTextExperiment(json, file), file);
}
