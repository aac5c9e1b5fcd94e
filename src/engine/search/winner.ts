// A leaderboard row as an experiment file beside the original (the winner at once, any other row on demand): same data,
// callbacks and seed; the row's base (with the preprocessing the search fed it), head and feature-extraction phase,
// then the original's fine-tune phases as they are (the search does not judge fine-tuning on the folds: too costly).
import { basename, dirname, join } from 'node:path';
import type { Experiment, PhaseSpec } from '../../protocol/experiment';
import type { SearchRow } from '../../protocol/host';
import { validateExperiment } from '../experiment/validate';
import type { LoadedExperiment } from '../experiment/load';
import { writeFileAtomic } from '../runs';

export type RowSetup = Pick<SearchRow, 'base' | 'own' | 'preprocessing' | 'settings'>;

/** `pets.experiment.json` → `pets.best.experiment.json` for the winner (rank 1), `pets.trial-4.experiment.json` for rank 4. */
export function rowFile(experimentFile: string, rank = 1): string {
  const name = basename(experimentFile).replace(/(\.experiment)?\.json$/i, '');
  return join(dirname(experimentFile), `${name}.${rank === 1 ? 'best' : `trial-${rank}`}.experiment.json`);
}

export function rowExperiment(experiment: Experiment, { base, own, preprocessing, settings }: RowSetup, rank = 1): Experiment {
  const first = experiment.phases.find((phase) => 'none' in phase.trainable) ?? experiment.phases[0];
  const phase: PhaseSpec = { name: 'feature-extraction', epochs: settings.epochs, batchSize: first.batchSize, optimizer: 'adam', learningRate: settings.learningRate, trainable: { none: true } };
  return {
    ...experiment,
    name: `${experiment.name}-${rank === 1 ? 'best' : `trial-${rank}`}`.slice(0, 80),
    base: own ? experiment.base : { model: base, preprocessing },
    head: { ...experiment.head, hiddenUnits: settings.hiddenUnits, dropout: settings.dropout },
    classWeights: settings.classWeights,
    phases: [phase, ...experiment.phases.filter((p) => !('none' in p.trainable))],
  };
}

/** Checked against the schema before it is written (atomically): the file is ready to train. */
export async function writeRowExperiment(loaded: LoadedExperiment, row: RowSetup, rank = 1): Promise<string> {
  const file = rowFile(loaded.file, rank);
  const experiment = validateExperiment(rowExperiment(loaded.experiment, row, rank), file);
  await writeFileAtomic(file, `${JSON.stringify(experiment, null, 2)}\n`);
  return file;
}
