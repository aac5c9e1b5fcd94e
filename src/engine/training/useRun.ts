// Using a finished run, whatever its data kind: load its exported model, evaluate it on labelled data (or the run's
// own validation split) or predict, then free it. Images (runModel.ts) and texts (text/textUse.ts) each supply a
// RunUser: how to load their model, its forward pass, their labelled data and their inputs.
import type { EvaluationReport, Prediction } from '../../protocol/host';
import type { HubOptions } from '../text/hub';
import { evaluateSource, type Forward, type SourceEvaluation } from './evaluate';
import { defaultCacheDir } from './featureStore';
import type { BatchSource } from './sources';

export interface LoadedRunModel {
  card: { classes: string[] };
  dispose(): void;
}

export interface PredictInputs {
  /** Image files or folders. */
  inputs: string[];
  texts?: string[];
  top?: number;
}

/** Labelled data to evaluate on, and how to report (and, for another folder, keep) the result. */
export interface EvaluationData {
  source: BatchSource;
  report(split: string, evaluation: SourceEvaluation): EvaluationReport;
  /** Keeps an evaluation on another folder in the run; returns the report as kept. */
  keep?(report: EvaluationReport): Promise<EvaluationReport>;
}

/** One data kind's part of using a run. */
export interface RunUser<M extends LoadedRunModel> {
  load(runDir: string, hub: HubOptions): Promise<M>;
  /** Logits of a batch from `evaluationData`'s source. */
  forward(model: M): Forward;
  /** Labelled data from `data` (a folder or file), or the run's own validation split; and how to report on it. */
  evaluationData(model: M, runDir: string, data: string | undefined, hub: HubOptions): Promise<EvaluationData>;
  predict(model: M, inputs: PredictInputs): Promise<Prediction[]>;
}

/** What clients ask of a run, the same for every kind; `hub` (where BERT bases are cached) defaults to the user cache. */
export interface RunUse {
  evaluate(runDir: string, data?: string, hub?: HubOptions): Promise<EvaluationReport>;
  predict(runDir: string, inputs: PredictInputs, hub?: HubOptions): Promise<Prediction[]>;
}

async function withRunModel<M extends LoadedRunModel, T>(user: RunUser<M>, runDir: string, hub: HubOptions | undefined, work: (model: M, hub: HubOptions) => Promise<T>): Promise<T> {
  const options = hub ?? { cacheDir: defaultCacheDir() };
  const model = await user.load(runDir, options);
  try {
    return await work(model, options);
  } finally {
    model.dispose();
  }
}

export function runUse<M extends LoadedRunModel>(user: RunUser<M>): RunUse {
  return {
    evaluate: (runDir, data, hub) => withRunModel(user, runDir, hub, async (model, options) => {
      const { source, report, keep } = await user.evaluationData(model, runDir, data, options);
      const result = report(data ? 'data' : 'val', await evaluateSource(user.forward(model), source));
      return data && keep ? keep(result) : result;
    }),
    predict: (runDir, inputs, hub) => withRunModel(user, runDir, hub, (model) => user.predict(model, inputs)),
  };
}

/** A probability row as the `top` most confident classes. */
export function rankClasses(probabilities: ArrayLike<number>, classes: readonly string[], top: number): { label: string; confidence: number }[] {
  return Array.from(probabilities, (confidence, i) => ({ label: classes[i], confidence })).sort((a, b) => b.confidence - a.confidence).slice(0, top);
}
