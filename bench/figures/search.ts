// What finding the best setup costs: `search` (3 bases, 30 trials, successive halving on folds) against the sum of
// one feature pass per base (the floor: a search must see every image once per base), both from an empty cache;
// and the learning-rate finder's sweep against one epoch of the same phase on cached features.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochMetrics } from '../../src/protocol/host';
import { loadExperimentFile } from '../../src/engine/experiment/load';
import { baseFeatures } from '../../src/engine/search/baseFeatures';
import { searchCandidates } from '../../src/engine/search/bases';
import { searchExperiment } from '../../src/engine/search/search';
import { planData } from '../../src/engine/training/dataPlan';
import { findLearningRate } from '../../src/engine/training/lrFind';
import { imageKind, trainExperiment } from '../../src/engine/training/train';
import type { BenchContext } from '../context';
import { writeExperiment } from '../experimentFile';
import { log } from '../measure';
import { figure, type Figure, type Skipped } from '../report';

const TRIALS = 30;
const quiet = { log: () => undefined, progress: () => undefined, runState: () => undefined, batch: () => undefined, epoch: () => undefined };

/** The shipped base, and the two real ImageNet bases of the shared folder when it is there. */
function benchBases(): { bases: string[]; missing: string[] } {
  const weights = join(process.env.TRANSFER_LAB_SHARED_DATA ?? join(__dirname, '..', '..', '..', 'shared', 'data'), 'weights');
  const files = [join(weights, 'darknet-tiny-tfjs', 'model.json'), join(weights, 'mobilenet_2_5_224_tf_no_top.h5')];
  return { bases: ['nsfwjs_mobilenet_v2', ...files.filter(existsSync)], missing: files.filter((f) => !existsSync(f)) };
}

export async function searchFigures(ctx: BenchContext): Promise<{ figures: Figure[]; skipped: Skipped[]; details: Record<string, unknown> }> {
  const { images, inputSize, batchSize } = ctx;
  const file = await writeExperiment(ctx.work, { name: 'bench-search', train: images.train, val: images.val, inputSize, epochs: 1, batchSize });
  const { bases, missing } = benchBases();
  const loaded = await loadExperimentFile(file);
  const plan = await planData(loaded);
  let passes = 0;
  const cold = await mkdtemp(join(ctx.work, 'pass-'));
  for (const candidate of await searchCandidates(loaded, bases, cold, ctx.work)) {
    const started = performance.now();
    await baseFeatures(candidate, loaded.experiment, plan.train, { cacheDir: cold, engine: 'wasm', progress: () => undefined });
    passes += (performance.now() - started) / 1000;
  }
  log(`search: one feature pass per base (${bases.length}) ${passes.toFixed(1)} s; searching ${TRIALS} trials from an empty cache`);
  const search = await searchExperiment({ experimentFile: file, bases, trials: TRIALS, cacheDir: await mkdtemp(join(ctx.work, 'search-')), listener: quiet });
  log(`  ${search.seconds.toFixed(1)} s (features ${search.featureSeconds.toFixed(1)} s); winner ${search.leaderboard[0].base} ${search.leaderboard[0].cvAccuracy.toFixed(3)}`);

  const warm = await mkdtemp(join(ctx.work, 'lr-'));
  const epochs: EpochMetrics[] = [];
  await trainExperiment({ experimentFile: file, cacheDir: warm, listener: { ...quiet, epoch: (m) => epochs.push(m) } });
  const sweep = await findLearningRate(imageKind, { experimentFile: file, cacheDir: warm, listener: quiet });
  log(`lr-find: ${sweep.rates.length} steps in ${sweep.sweepSeconds.toFixed(2)} s; one epoch (${sweep.stepsPerEpoch} steps + validation) ${epochs[0].seconds.toFixed(2)} s`);

  const set = `${images.trainCount} training images at ${inputSize} px`;
  return {
    details: { bases, passes, search: { seconds: search.seconds, featureSeconds: search.featureSeconds, folds: search.folds, top: search.leaderboard.slice(0, 3) }, sweep: { steps: sweep.rates.length, seconds: sweep.sweepSeconds, suggestion: sweep.suggestion }, epochSeconds: epochs[0].seconds },
    skipped: missing.length ? [{ id: 'search-bases', label: 'search over 3 bases', reason: `absent: ${missing.join(', ')} — the search figure compares ${bases.length} base(s)` }] : [],
    figures: [
      figure({
        id: 'search-vs-feature-passes', kind: 'ratio', label: `search, ${bases.length} bases × ${TRIALS} trials (successive halving, ${search.folds} folds), ${set}, empty cache`,
        value: search.seconds, unit: 's', baseline: { label: `one feature pass per base (sum of ${bases.length})`, value: passes, unit: 's' }, target: { op: '<=', value: 1.5 },
        note: `features ${search.featureSeconds.toFixed(1)} s of it, head trials ${(search.seconds - search.featureSeconds).toFixed(1)} s (each rung's folds of one base and hidden size as one batched computation); best cv accuracy ${search.leaderboard[0].cvAccuracy.toFixed(3)} (${search.leaderboard[0].base})`,
      }),
      figure({
        id: 'lr-find-vs-epoch', kind: 'ratio', label: `lr-find sweep (${sweep.rates.length} steps) on cached features, ${set}`, value: sweep.sweepSeconds, unit: 's',
        baseline: { label: `one epoch of the same phase (${sweep.stepsPerEpoch} steps + validation)`, value: epochs[0].seconds, unit: 's' },
        note: `suggested ${sweep.suggestion.toExponential(1)}`,
      }),
    ],
  };
}
