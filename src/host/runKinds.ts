// The host's one dispatch on a run's data kind: which trainer runs an experiment, which user evaluates and
// predicts with a finished run. Everything after this choice is the same code for every kind.
import { join } from 'node:path';
import type { TrainParams } from '../protocol/host';
import { EXPERIMENT_FILE } from '../shared/runLayout';
import { readRunKind } from '../engine/runs';
import { isTextExperimentFile, textKind, textRunUse, trainTextExperiment } from '../engine/text';
import { findLearningRate, type LrFindOptions } from '../engine/training/lrFind';
import { imageRunUse } from '../engine/training/runModel';
import { imageKind, trainExperiment } from '../engine/training/train';
import type { RunUse } from '../engine/training/useRun';

/** A run is text when its experiment (or, resuming, its snapshot) says `data.kind: "text"`. */
export async function trainerFor(params: TrainParams): Promise<typeof trainExperiment> {
  const text = await isTextExperimentFile(params.resumeRunDir ? join(params.resumeRunDir, EXPERIMENT_FILE) : params.experimentFile);
  return text ? trainTextExperiment : trainExperiment;
}

/** The learning-rate finder runs on either kind's phases, as the trainer would prepare them. */
export async function lrFindFor(options: LrFindOptions) {
  return (await isTextExperimentFile(options.experimentFile)) ? findLearningRate(textKind, options) : findLearningRate(imageKind, options);
}

/** The run model (engine/runs) says which kind a finished run is. */
export async function runUseOf(runDir: string): Promise<RunUse> {
  return (await readRunKind(runDir)) === 'text' ? textRunUse : imageRunUse;
}
