// The data doctor: label issues, duplicates and train–test leakage, outliers, imbalance and odd images of a dataset,
// all from the base's cached pooled features (one base pass at most, none on a second call).
import type { DoctorParams, DoctorReport, LogMessage, ProgressMessage } from '../../protocol/host';
import type { EngineInfo } from '../backend/select';
import { classBalance } from '../training/classWeights';
import { doctorFeatures, planDoctor } from './doctorData';
import { duplicateGroups } from './duplicates';
import { imageFacts, perceptualPairs } from './imageFacts';
import { confidentSuspects, outOfFoldProbabilities } from './labelIssues';
import { cosine, neighbourhood, normalisedRows } from './neighbours';
import { K_NEAREST, oddImages, outlierRows } from './oddImages';

/** Feature similarity from which two images are near-duplicates by default: on flowers, distinct photos reach 0.97–0.98
 * with darknet-tiny and the shipped base, so lower values group look-alikes. Resized and re-compressed copies, whose
 * features may fall to 0.87, are found by their perceptual hash whatever this threshold. */
export const DEFAULT_NEAR = 0.97;

export interface DoctorOptions {
  engine: EngineInfo;
  cacheDir: string;
  signal?: AbortSignal;
  progress(message: ProgressMessage): void;
  log(message: LogMessage): void;
}

export async function runDoctor(params: DoctorParams, options: DoctorOptions): Promise<DoctorReport> {
  const started = performance.now();
  const near = params.near ?? DEFAULT_NEAR;
  if (!(near > 0 && near <= 1)) throw new RangeError(`the near-duplicate threshold must be above 0 and at most 1 (cosine similarity), got ${near}; e.g. 0.97`);
  const { signal, progress } = options;
  const plan = await planDoctor(params.target, params.base, options.cacheDir);
  options.log({ level: 'info', message: `checking ${plan.samples.length} images of ${plan.classes.length} classes with ${plan.base.ref}` });
  const data = await doctorFeatures(plan, options.engine, options.cacheDir, progress, signal, params.cachedOnly);
  const { samples, matrix } = data;
  const step = (done: number, message: string) => progress({ stage: 'doctor', done, total: 3, message });
  const files = samples.map((s) => s.path);

  step(0, 'checking labels (5 fold heads)');
  const labels = samples.map((s) => s.label);
  const probabilities = await outOfFoldProbabilities(matrix, labels, plan.classes.length, plan.seed, signal);
  const labelIssues = confidentSuspects(probabilities, labels, plan.classes.length)
    .map((s) => ({ file: files[s.index], given: plan.classes[labels[s.index]], suggested: plan.classes[s.suggested], score: s.score }));

  step(1, 'measuring images');
  const facts = await imageFacts(options.cacheDir, samples.map((s) => ({ file: s.path, hash: s.hash })), signal);
  const odd = oddImages(files, facts);

  step(2, 'comparing images');
  const unit = normalisedRows(matrix);
  const { pairs, nearest } = await neighbourhood(unit, near, K_NEAREST, signal);
  const copies = perceptualPairs(facts).map(([i, j]): [number, number, number] => [i, j, Math.min(1, cosine(unit, i, j))]);
  const duplicates = duplicateGroups(samples.map((s) => ({ file: s.path, hash: s.hash, split: s.split })), [...pairs, ...copies]);
  const outliers = outlierRows(nearest).map(({ index, score }) => ({ file: files[index], score }));
  step(3, 'done');
  const trainCounts = plan.classes.map((name) => plan.counts[name].train);
  return {
    labelIssues, duplicates, outliers, classes: plan.counts, imbalance: plan.classes.length > 1 ? classBalance(plan.classes, trainCounts) : undefined, odd,
    skipped: data.skipped, base: data.baseName, computed: data.computed, seconds: (performance.now() - started) / 1000,
  };
}
