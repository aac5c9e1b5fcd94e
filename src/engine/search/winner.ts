// The search's winner as an experiment file beside the original: same data, callbacks and seed; the winning base
// (with the preprocessing the search fed it), head and feature-extraction phase.
import { basename, dirname, join } from 'node:path';
import type { Experiment, PhaseSpec } from '../../protocol/experiment';
import type { SearchSettings } from '../../protocol/host';
import { validateExperiment } from '../experiment/validate';
import type { LoadedExperiment } from '../experiment/load';
import type { BaseModelInfo } from '../models/load';
import { writeFileAtomic } from '../runs';
import type { Candidate } from './bases';

/** `pets.experiment.json` → `pets.best.experiment.json`. */
export function winnerFile(experimentFile: string): string {
  const name = basename(experimentFile).replace(/(\.experiment)?\.json$/i, '');
  return join(dirname(experimentFile), `${name}.best.experiment.json`);
}

export function winnerExperiment(experiment: Experiment, candidate: Candidate, info: BaseModelInfo, settings: SearchSettings): Experiment {
  const first = experiment.phases.find((phase) => 'none' in phase.trainable) ?? experiment.phases[0];
  const phase: PhaseSpec = { name: 'feature-extraction', epochs: settings.epochs, batchSize: first.batchSize, optimizer: 'adam', learningRate: settings.learningRate, trainable: { none: true } };
  return {
    ...experiment,
    name: `${experiment.name}-best`.slice(0, 80),
    base: candidate.own ? experiment.base : { model: candidate.written, preprocessing: info.preprocessing },
    head: { ...experiment.head, hiddenUnits: settings.hiddenUnits, dropout: settings.dropout },
    classWeights: settings.classWeights,
    phases: [phase],
  };
}

/** Checked against the schema before it is written (atomically): the file is ready to train. */
export async function writeWinner(loaded: LoadedExperiment, candidate: Candidate, info: BaseModelInfo, settings: SearchSettings): Promise<string> {
  const file = winnerFile(loaded.file);
  const experiment = validateExperiment(winnerExperiment(loaded.experiment, candidate, info, settings), file);
  await writeFileAtomic(file, `${JSON.stringify(experiment, null, 2)}\n`);
  return file;
}
