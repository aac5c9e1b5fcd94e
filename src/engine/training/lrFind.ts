// `lr-find` on an experiment: prepares one phase as a run would (features or the frozen prefix's activations cached),
// sweeps its learning rate on the training split, and suggests one. No run folder is written.
import { phaseName, type PhaseSpec } from '../../protocol/experiment';
import type { LrFindResult } from '../../protocol/host';
import { selectEngine } from '../backend/select';
import { sweepLearningRate } from './lrSweep';
import type { RunExperiment, TrainingKind, TrainOptions } from './trainer';

export type LrFindOptions = Omit<TrainOptions, 'runsRoot' | 'resumeRunDir'> & { phase?: string };

/** A phase by its name (as runs show it) or its 1-based number; the first when not given. */
export function phaseIndexOf(phases: PhaseSpec[], wanted: string | undefined, file: string): number {
  if (wanted === undefined) return 0;
  const names = phases.map((phase, i) => phaseName(phase, i));
  const index = names.indexOf(wanted) >= 0 ? names.indexOf(wanted) : /^\d+$/.test(wanted) ? Number(wanted) - 1 : -1;
  if (index < 0 || index >= phases.length) throw new RangeError(`${file}: no phase "${wanted}" — its phases are ${names.map((n, i) => `${i + 1} "${n}"`).join(', ')}`);
  return index;
}

export async function findLearningRate<Loaded extends { file: string; experiment: RunExperiment }>(kind: TrainingKind<Loaded>, options: LrFindOptions): Promise<LrFindResult> {
  const started = performance.now();
  const loaded = await kind.load(options.experimentFile);
  const { phases } = loaded.experiment;
  const index = phaseIndexOf(phases, options.phase, loaded.file);
  const engine = await selectEngine(options.engine ?? loaded.experiment.engine);
  options.listener.log({ level: 'info', message: `engine: ${engine.detail}` });
  const run = await kind.open(loaded, options, engine);
  try {
    const prepared = await run.preparePhase(index);
    const name = phaseName(phases[index], index);
    // a later phase starts from a fresh head here, not from the weights its earlier phases would leave
    options.listener.log({ level: 'info', message: `phase "${name}": ${prepared.description}` });
    if (index > 0) options.listener.log({ level: 'warn', message: `phase "${name}" is swept from an untrained head; a run reaches it with the head its earlier phases trained` });
    const sweepStarted = performance.now();
    const sweep = await sweepLearningRate(prepared, phases[index], {
      classWeights: run.classWeights.weights, signal: options.signal,
      onStep: (done, total) => options.listener.progress({ stage: 'search', done, total, message: `learning-rate sweep of phase "${name}"` }),
    });
    const sweepSeconds = (performance.now() - sweepStarted) / 1000;
    return {
      phase: name, rates: sweep.rates, losses: sweep.losses, smoothed: sweep.smoothed, suggestion: sweep.suggestion,
      seconds: (performance.now() - started) / 1000, sweepSeconds, stepsPerEpoch: Math.ceil(prepared.train.count / phases[index].batchSize),
    };
  } finally {
    run.dispose();
  }
}
