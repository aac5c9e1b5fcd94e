// `search`: features of each candidate base once, then successive halving over head recipes trained on stratified
// folds of the training split (validation and test are never looked at); the winner is written as a new experiment.
import { dirname } from 'node:path';
import type { SearchParams, SearchResult, SearchRow, TrainingListener } from '../../protocol/host';
import { selectEngine } from '../backend/select';
import { loadExperimentFile } from '../experiment/load';
import { createRng, deriveSeed } from '../random';
import { planData } from '../training/dataPlan';
import { baseFeatures, type BaseFeatures } from './baseFeatures';
import { searchCandidates, type Candidate } from './bases';
import { DEFAULT_FOLDS, KFOLD_BELOW, stratifiedFolds } from './folds';
import { successiveHalving } from './halving';
import { HeadTrial, trainTogether, type FoldedRows } from './headTrial';
import { sampleTrials, type TrialSettings } from './space';
import { writeRowExperiment } from './winner';

export type SearchOptions = SearchParams & { cacheDir: string; signal?: AbortSignal; listener: TrainingListener };

export const DEFAULT_TRIALS = 30;
/** Epochs of the first rung, and the factor between rungs (each keeps the best third): 3, 9, 27 epochs. */
const MIN_EPOCHS = 3;
const ETA = 3;
const MAX_RUNGS = 3;

interface SearchedBase {
  candidate: Candidate;
  features: BaseFeatures;
  rows: FoldedRows;
}

function foldedRows(features: BaseFeatures, k: number, seed: number): FoldedRows {
  return { x: features.rows, labels: features.labels, width: features.width, fold: stratifiedFolds(features.labels, k, seed), folds: k, seed: deriveSeed(seed, 'search-batches') };
}

const headParams = (width: number, classes: number, hidden: number) => (hidden > 0 ? width * hidden + hidden + hidden * classes + classes : width * classes + classes);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

export async function searchExperiment(options: SearchOptions): Promise<SearchResult> {
  const started = performance.now();
  const { listener, signal } = options;
  const loaded = await loadExperimentFile(options.experimentFile);
  const { experiment } = loaded;
  const engine = await selectEngine(options.engine ?? experiment.engine);
  listener.log({ level: 'info', message: `engine: ${engine.detail}` });
  const plan = await planData(loaded);
  const k = plan.train.length < KFOLD_BELOW ? DEFAULT_FOLDS : 1;
  listener.log({ level: 'info', message: `search data: ${plan.train.length} training images of ${plan.classes.length} classes, ${k > 1 ? `stratified ${k}-fold` : 'one stratified 20 % holdout'}; validation and test images are not used` });
  const candidates = await searchCandidates(loaded, options.bases, options.cacheDir, dirname(loaded.file));
  const searched: SearchedBase[] = [];
  const trials = new Map<TrialSettings, HeadTrial>();
  for (const candidate of candidates) {
    const features = await baseFeatures(candidate, experiment, plan.train, { cacheDir: options.cacheDir, engine: engine.name, signal, progress: (m) => listener.progress(m) });
    listener.log({ level: 'info', message: `base ${candidate.written}: ${features.info.displayName}, ${features.width} features per image (${features.computed} computed, the rest cached), ${features.msPerImage.toFixed(1)} ms/image, preprocessing ${features.info.preprocessing}` });
    searched.push({ candidate, features, rows: foldedRows(features, k, experiment.seed) });
  }
  const featureSeconds = (performance.now() - started) / 1000;
  const budgetMs = (options.budgetMinutes ?? Infinity) * 60_000;
  const first = experiment.phases.find((phase) => 'none' in phase.trainable) ?? experiment.phases[0];
  const start = { learningRate: first.learningRate, dropout: experiment.head.dropout, hiddenUnits: experiment.head.hiddenUnits, classWeights: typeof experiment.classWeights === 'string' ? experiment.classWeights : 'none' as const };
  const settings = sampleTrials(options.trials ?? DEFAULT_TRIALS, searched.length, createRng(deriveSeed(experiment.seed, 'search')), start);
  const planned = settings.length + Math.floor(settings.length / ETA) + Math.floor(settings.length / ETA / ETA);
  let done = 0;
  const outcome = new Map<TrialSettings, { std: number; bestEpochs: number[] }>();
  const ranked = await successiveHalving({
    trials: settings, minEpochs: MIN_EPOCHS, eta: ETA, maxRungs: MAX_RUNGS,
    inBudget: () => performance.now() - started < budgetMs,
    keep: (trial) => settings.indexOf(trial) < searched.length, // sampleTrials puts the experiment's own recipe first, once per base
    batchKey: (trial) => `${trial.base}:${trial.hiddenUnits}`,
    train: async (batch, epochs) => {
      const heads = batch.map((trial) => {
        if (!trials.has(trial)) trials.set(trial, new HeadTrial(searched[trial.base].rows, trial, plan.classes, deriveSeed(experiment.seed, `trial:${settings.indexOf(trial)}`)));
        return trials.get(trial)!;
      });
      await trainTogether(heads, epochs, experiment.phases[0].batchSize, plan.classes.length, signal);
      done += batch.length;
      listener.progress({ stage: 'search', done, total: planned, message: `search: head trials (up to ${epochs} epochs, ${k} folds)` });
      return heads.map((head, i) => {
        const score = head.score();
        outcome.set(batch[i], { std: score.std, bestEpochs: score.bestEpochs });
        return { score: score.accuracy, tieBreak: score.loss };
      });
    },
  });
  const leaderboard: SearchRow[] = ranked.map(({ trial, rung, score }) => {
    const { features, candidate } = searched[trial.base];
    const { std, bestEpochs } = outcome.get(trial)!;
    const { base: _base, ...head } = trial;
    return {
      base: candidate.written, own: candidate.own, preprocessing: features.info.preprocessing, displayName: features.info.displayName, settings: { ...head, epochs: Math.max(1, median(bestEpochs)) },
      cvAccuracy: score.score, cvStd: std, msPerImage: features.msPerImage,
      params: features.info.paramCount + headParams(features.width, plan.classes.length, trial.hiddenUnits), rung,
    };
  });
  const bestExperiment = await writeRowExperiment(loaded, leaderboard[0]);
  return { leaderboard, bestExperiment, folds: k, seconds: (performance.now() - started) / 1000, featureSeconds };
}
