// Reads an experiment file's text (saved or not) the way the engine will: strict JSON, schema defaults applied.
// The schema validator compiles in ~150 ms, so it loads on first use rather than during activation.
import { isTextExperiment, phaseName, type AnyExperiment } from '../../protocol/experiment';
import type { InspectModelParams } from '../../protocol/host';
import type { PhasePlan } from '../training/runProgress';

export const EXPERIMENT_SUFFIX = '.experiment.json';

export function isExperimentFile(path: string): boolean {
  return path.endsWith(EXPERIMENT_SUFFIX);
}

/** The experiment (image or text) with defaults, or ExperimentError naming the file and every bad field. */
export async function validateExperimentValue(value: unknown, file: string): Promise<AnyExperiment> {
  const { validateAnyExperiment } = await import('../../engine/experiment/validate.js');
  return validateAnyExperiment(value, file);
}

export async function parseExperimentText(text: string, file: string): Promise<AnyExperiment> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { ExperimentError } = await import('../../engine/experiment/validate.js');
    throw new ExperimentError(file, [`not valid JSON (${(error as Error).message})`]);
  }
  return validateExperimentValue(value, file);
}

/** The host's inspect request for the experiment's base, its file paths made absolute as the engine resolves them. */
export async function inspectParams(experiment: AnyExperiment, file: string, cacheDir?: string): Promise<InspectModelParams> {
  if (isTextExperiment(experiment)) {
    const { resolveTextExperiment } = await import('../../engine/text/textExperiment.js');
    const { baseRef } = resolveTextExperiment(experiment, file);
    return { kind: 'text', model: baseRef, revision: experiment.base.revision, inputSize: experiment.data.maxLength, pooling: experiment.head.pooling, cacheDir };
  }
  const { resolveExperiment } = await import('../../engine/experiment/load.js');
  return { model: resolveExperiment(experiment, file).baseModelRef, inputSize: experiment.data.inputSize, featureLayer: experiment.base.featureLayer, cacheDir };
}

export function phasePlan(experiment: AnyExperiment): PhasePlan[] {
  return experiment.phases.map((phase, index) => ({ name: phaseName(phase, index), epochs: phase.epochs }));
}
