// Reads an experiment file's text (saved or not) the way the engine will: strict JSON, schema defaults applied.
// The schema validator compiles in ~150 ms, so it loads on first use rather than during activation.
import { phaseName, type Experiment } from '../../protocol/experiment';
import type { PhasePlan } from '../training/runProgress';

export const EXPERIMENT_SUFFIX = '.experiment.json';

export function isExperimentFile(path: string): boolean {
  return path.endsWith(EXPERIMENT_SUFFIX);
}

/** The experiment with defaults, or ExperimentError naming the file and every bad field. */
export async function validateExperimentValue(value: unknown, file: string): Promise<Experiment> {
  const { validateExperiment } = await import('../../engine/experiment/validate.js');
  return validateExperiment(value, file);
}

export async function parseExperimentText(text: string, file: string): Promise<Experiment> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { ExperimentError } = await import('../../engine/experiment/validate.js');
    throw new ExperimentError(file, [`not valid JSON (${(error as Error).message})`]);
  }
  return validateExperimentValue(value, file);
}

/** The base model reference with a relative file path made absolute, as the engine resolves it. */
export async function baseModelRef(experiment: Experiment, file: string): Promise<string> {
  const { resolveExperiment } = await import('../../engine/experiment/load.js');
  return resolveExperiment(experiment, file).baseModelRef;
}

export function phasePlan(experiment: Experiment): PhasePlan[] {
  return experiment.phases.map((phase, index) => ({ name: phaseName(phase, index), epochs: phase.epochs }));
}
