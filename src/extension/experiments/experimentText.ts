// Reads an experiment file's text (saved or not) the way the engine will: strict JSON, schema defaults applied.
import { phaseName, type Experiment } from '../../protocol/experiment';
import { ExperimentError, validateExperiment } from '../../engine/experiment/validate';
import type { PhasePlan } from '../training/runProgress';

export const EXPERIMENT_SUFFIX = '.experiment.json';

export function isExperimentFile(path: string): boolean {
  return path.endsWith(EXPERIMENT_SUFFIX);
}

/** The experiment with defaults, or ExperimentError naming the file and every bad field. */
export function parseExperimentText(text: string, file: string): Experiment {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ExperimentError(file, [`not valid JSON (${(error as Error).message})`]);
  }
  return validateExperiment(value, file);
}

export function phasePlan(experiment: Experiment): PhasePlan[] {
  return experiment.phases.map((phase, index) => ({ name: phaseName(phase, index), epochs: phase.epochs }));
}
