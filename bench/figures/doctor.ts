// The data doctor on a set whose features are cached (what a check after a first run costs) against one epoch of
// feature-extraction training on the same cached set, both through the CLI and timed by the engine.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { doctorWithCli, trainWithCli } from '../cliRun';
import type { BenchContext } from '../context';
import { writeExperiment } from '../experimentFile';
import { experimentImages } from '../imageSets';
import { log, median } from '../measure';
import { figure, type Figure } from '../report';

/** Large enough for the heads and the pairwise comparison to matter, small enough for the first base pass to take minutes here. */
const TRAIN_PER_CLASS = 300;
const VAL_PER_CLASS = 100;

export async function doctorFigures(ctx: BenchContext): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const images = ctx.quick ? ctx.images : await experimentImages(TRAIN_PER_CLASS, VAL_PER_CLASS);
  const count = images.trainCount + images.valCount;
  const runs = join(ctx.work, 'runs-doctor');
  await mkdir(runs, { recursive: true });
  const cache = join(ctx.work, 'cache-doctor');
  const file = await writeExperiment(ctx.work, { name: 'bench-doctor', train: images.train, val: images.val, inputSize: ctx.inputSize, epochs: 1, batchSize: ctx.batchSize });
  log(`doctor: first run fills the feature cache (${count} images at ${ctx.inputSize} px)`);
  const cold = await trainWithCli(file, cache, runs);
  const epochs = [];
  const checks = [];
  for (let i = 0; i < (ctx.quick ? 1 : 3); i++) {
    epochs.push(await trainWithCli(file, cache, runs));
    checks.push(await doctorWithCli(file, cache));
  }
  const epoch = median(epochs.map((r) => r.seconds));
  const check = median(checks.map((r) => r.seconds));
  log(`  one epoch ${epochs.map((r) => r.seconds.toFixed(1)).join(', ')} s; doctor ${checks.map((r) => r.seconds.toFixed(1)).join(', ')} s`);
  return {
    details: { cold, epochs, checks },
    figures: [
      figure({
        id: 'doctor-vs-epoch', kind: 'ratio', label: `data doctor on a cached set, ${count} images at ${ctx.inputSize} px`, value: check, unit: 's',
        baseline: { label: 'one epoch of feature-extraction training (cached)', value: epoch, unit: 's' }, target: { op: '<=', value: 2 },
        note: `medians of ${checks.length} (doctor ${checks.map((r) => r.seconds.toFixed(2)).join(', ')} s; training ${epochs.map((r) => r.seconds.toFixed(2)).join(', ')} s), `
          + `both timed by the engine around the request (base load, cache reads; training also evaluates and exports); first run ${cold.seconds.toFixed(0)} s; `
          + `${checks[0].labelIssues} label issues, ${checks[0].duplicates} duplicate groups found`,
      }),
    ],
  };
}
