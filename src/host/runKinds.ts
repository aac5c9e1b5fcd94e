// The host's one dispatch on a run's data kind: which trainer runs an experiment, which user evaluates and
// predicts with a finished run. Everything after this choice is the same code for every kind.
import { join } from 'node:path';
import type { TrainParams } from '../protocol/host';
import { EXPERIMENT_FILE } from '../shared/runLayout';
import { readRunKind } from '../engine/runs';
import { isTextExperimentFile, textRunUse, trainTextExperiment } from '../engine/text';
import { imageRunUse } from '../engine/training/runModel';
import { trainExperiment } from '../engine/training/train';
import type { RunUse } from '../engine/training/useRun';

/** A run is text when its experiment (or, resuming, its snapshot) says `data.kind: "text"`. */
export async function trainerFor(params: TrainParams): Promise<typeof trainExperiment> {
  const text = await isTextExperimentFile(params.resumeRunDir ? join(params.resumeRunDir, EXPERIMENT_FILE) : params.experimentFile);
  return text ? trainTextExperiment : trainExperiment;
}

/** The run model (engine/runs) says which kind a finished run is. */
export async function runUseOf(runDir: string): Promise<RunUse> {
  return (await readRunKind(runDir)) === 'text' ? textRunUse : imageRunUse;
}
