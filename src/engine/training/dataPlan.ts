// Turns an experiment's data section into the train/val/test lists one run uses: scanned, split, labelled.
import { realpath } from 'node:fs/promises';
import { scanDataset, stratifiedSplit, DatasetError, type DatasetProblem, type Sample } from '../data';
import type { Experiment } from '../../protocol/experiment';
import type { LoadedExperiment } from '../experiment/load';

export interface DataPlan {
  classes: string[];
  train: Sample[];
  val: Sample[];
  test: Sample[];
  problems: DatasetProblem[];
  /** Images data.exclude left out. */
  excluded: number;
}

/** Re-labels samples of a separately scanned folder with the training folder's class indices. */
async function scanAgainst(folder: string, classes: string[]): Promise<{ samples: Sample[]; problems: DatasetProblem[] }> {
  const scan = await scanDataset(folder);
  const samples: Sample[] = [];
  for (const sample of scan.samples.train) {
    const name = scan.classes[sample.label];
    const label = classes.indexOf(name);
    if (label < 0) {
      throw new DatasetError(`${folder}/${name}`, `class "${name}" is not among the training classes (${classes.join(', ')})`, 'Rename it to a training class or remove it.');
    }
    samples.push({ path: sample.path, label });
  }
  return { samples, problems: scan.problems };
}

function needsSplit(train: Sample[], split: Experiment['data']['split'], seed: number, hasVal: boolean, hasTest: boolean) {
  const fractions = { val: hasVal ? 0 : split.val, test: hasTest ? 0 : split.test };
  return stratifiedSplit(train, fractions, seed);
}

/** data.exclude as the scan names files (real paths; an entry whose file is gone stays as written). */
async function excludedPaths(exclude: readonly string[]): Promise<Set<string>> {
  return new Set(await Promise.all(exclude.map((path) => realpath(path).catch(() => path))));
}

export async function planData(loaded: LoadedExperiment): Promise<DataPlan> {
  const { experiment, folders } = loaded;
  const trainRoot = folders.train ?? folders.root!;
  const scan = await scanDataset(trainRoot);
  const problems = [...scan.problems];
  const excluded = await excludedPaths(loaded.exclude);
  let dropped = 0;
  const kept = (samples: Sample[]) => samples.filter((s) => !excluded.has(s.path) || (dropped++, false));
  let [train, val, test] = [kept(scan.samples.train), kept(scan.samples.val), kept(scan.samples.test)];
  for (const [name, folder] of [['val', folders.val], ['test', folders.test]] as const) {
    if (!folder) continue;
    const extra = await scanAgainst(folder, scan.classes);
    problems.push(...extra.problems);
    if (name === 'val') val = kept(extra.samples);
    else test = kept(extra.samples);
  }
  const split = needsSplit(train, experiment.data.split, experiment.seed, val.length > 0, test.length > 0);
  train = split.train;
  const plan = { classes: scan.classes, train, val: val.length > 0 ? val : split.val, test: test.length > 0 ? test : split.test, problems, excluded: dropped };
  if (plan.val.length === 0) {
    throw new DatasetError(trainRoot, 'no validation images', 'Add a val/ folder or set data.split.val above 0 (e.g. 0.2).');
  }
  return plan;
}
