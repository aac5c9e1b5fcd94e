// The one trainer of every data kind: opens the run, runs its phases with the run's callbacks, evaluates, exports,
// and leaves a complete run folder whatever ends the run. What differs per kind (data, base, head input) comes from
// a TrainingKind: images (train.ts) and texts (text/textTrain.ts) each implement it once.
import { dirname, join } from 'node:path';
import type { EngineChoice, Experiment } from '../../protocol/experiment';
import type { EvaluationReport, TrainingListener, TrainResult } from '../../protocol/host';
import { EVALUATION_FILE, EXPERIMENT_FILE, RUNS_DIR, SKIPPED_FILE } from '../../shared/runLayout';
import { renameNote, type BaseRename } from '../../shared/catalogRenames';
import type { Sample } from '../data/types';
import { selectEngine, type EngineInfo } from '../backend/select';
import { openRun, stateEmitter, writeFileAtomic } from '../runs';
import { reportClassWeights, type ResolvedClassWeights } from './classWeights';
import { evaluateSource, type SourceEvaluation } from './evaluate';
import type { PreparedPhase } from './phaseSetup';
import { TensorBoardLog, epochStep } from '../runs/tensorboard/tensorboardLog';
import { runPhases, startPoint } from './phases';
import type { NamedWeights } from './tensors';

export interface TrainOptions {
  experimentFile: string;
  /** Defaults to `runs/` beside the experiment file. */
  runsRoot?: string;
  /** Continue this run from its last good checkpoint (its experiment.json) instead of starting a new one. */
  resumeRunDir?: string;
  cacheDir: string;
  engine?: EngineChoice;
  signal?: AbortSignal;
  listener: TrainingListener;
}

/** What the trainer reads of any kind's experiment. */
export type RunExperiment = Pick<Experiment, 'name' | 'engine' | 'phases' | 'callbacks'>;

/** One data kind's part of a run, from its experiment file to its exported model. */
export interface TrainingKind<Loaded extends { file: string; experiment: RunExperiment }> {
  /** Reads and checks an experiment file (or a run's snapshot of it). */
  load(file: string): Promise<Loaded>;
  /** Plans the data and loads the base, logging both; `options.signal` may stop a download. */
  open(loaded: Loaded, options: TrainOptions, engine: EngineInfo): Promise<KindRun>;
}

/** A kind's run once its data and base are known: the trainer asks it for phases, weights, reports and the export. */
export interface KindRun {
  /** The experiment as run, with every path absolute, so the run folder alone can resume or be re-evaluated. */
  snapshot: unknown;
  classes: string[];
  val: Sample[];
  test: Sample[];
  /** Each class's weight in every phase's loss (see classWeights.ts). */
  classWeights: ResolvedClassWeights;
  /** Image runs: how pixels are scaled for the base and why, kept in state.json. */
  preprocessing?: string;
  /** Writes what the kind keeps beside the run's own files, once the run folder exists (e.g. data problems, warnings); `resumed` when the folder was already there. */
  opened?(runDir: string, resumed: boolean): Promise<void>;
  /** The weights checkpoints hold: the head's and every base weight some phase trains. */
  snapshotWeights(): NamedWeights[];
  restoreWeights(saved: readonly NamedWeights[]): void;
  preparePhase(phaseIndex: number): Promise<PreparedPhase>;
  /** The evaluation report of one split, with what the kind adds (skipped images, the start of each text). */
  report(split: string, samples: Sample[], evaluation: SourceEvaluation): EvaluationReport;
  exportModel(runDir: string): Promise<void>;
  /** Inputs the run could not read so far. */
  skipped(): { path: string; reason: string }[];
  dispose(): void;
}

async function finalEvaluation(run: KindRun, prepared: PreparedPhase): Promise<{ val: EvaluationReport; test?: EvaluationReport }> {
  const evaluate = async (split: string, samples: Sample[]) => run.report(split, samples, await evaluateSource(prepared.forward, await prepared.evaluationSource(samples)));
  return { val: await evaluate('val', run.val), test: run.test.length > 0 ? await evaluate('test', run.test) : undefined };
}

export async function trainRun<Loaded extends { file: string; experiment: RunExperiment; renamed?: BaseRename }>(kind: TrainingKind<Loaded>, options: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  const { listener } = options;
  const loaded = await kind.load(options.resumeRunDir !== undefined ? join(options.resumeRunDir, EXPERIMENT_FILE) : options.experimentFile);
  const { experiment } = loaded;
  if (loaded.renamed) listener.log({ level: 'warn', message: `${loaded.file}: ${renameNote(loaded.renamed)}` });
  const engine = await selectEngine(options.engine ?? experiment.engine);
  listener.log({ level: 'info', message: `engine: ${engine.detail}` });
  const run = await kind.open(loaded, options, engine);
  try {
    const { runDir, checkpoint } = await openRun({
      resumeRunDir: options.resumeRunDir, runsRoot: options.runsRoot ?? join(dirname(loaded.file), RUNS_DIR),
      name: experiment.name, snapshot: run.snapshot, classes: run.classes, listener,
    });
    await run.opened?.(runDir, options.resumeRunDir !== undefined);
    const emitState = stateEmitter(runDir, engine, listener, () => run.skipped().length, run.preprocessing);
    await emitState('running');
    try {
      if (checkpoint) run.restoreWeights(checkpoint.tensors);
      const start = startPoint(checkpoint, experiment.phases);
      const tensorboard = await TensorBoardLog.open(runDir, options.resumeRunDir === undefined ? { experiment: run.snapshot } : { resumedAtStep: epochStep(experiment.phases, start.phaseIndex, start.epoch) });
      const { state: phasesState, message, epochsRun, summaries, prepared } = await runPhases<PreparedPhase>({
        runDir, experiment, listener, signal: options.signal, checkpoint, tensorboard, classWeights: run.classWeights,
        prepare: (p) => run.preparePhase(p),
        validation: (phase) => phase.evaluationSource(run.val),
        snapshot: () => run.snapshotWeights(),
        restore: (saved) => run.restoreWeights(saved),
        emitState,
      });
      let state = phasesState;
      let valAccuracy = NaN;
      if (state === 'running' && prepared) {
        const evaluation = await finalEvaluation(run, prepared);
        await writeFileAtomic(join(runDir, EVALUATION_FILE), JSON.stringify(evaluation, null, 2));
        valAccuracy = evaluation.val.accuracy;
        await run.exportModel(runDir);
        state = 'completed';
      }
      const skipped = run.skipped();
      await writeFileAtomic(join(runDir, SKIPPED_FILE), JSON.stringify(skipped, null, 2));
      await emitState(state, { message });
      return {
        runDir, state, engine, epochs: epochsRun, seconds: (performance.now() - started) / 1000, valAccuracy,
        phases: summaries, skippedFiles: skipped.length, message, classWeights: reportClassWeights(run.classWeights, run.classes),
      };
    } catch (error) {
      await emitState('failed', { message: (error as Error).message });
      throw error;
    }
  } finally {
    run.dispose();
  }
}
