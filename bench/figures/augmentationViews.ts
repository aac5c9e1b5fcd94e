// Augmentation that keeps the cache: a feature-extraction run with 4 cached augmented views against the same run
// with live augmentation (the base on every training image every epoch), then the views run's rerun — one bench run,
// side by side, on the subset (live augmentation runs the base 10 times over it).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { trainWithCli } from '../cliRun';
import type { BenchContext } from '../context';
import { writeExperiment } from '../experimentFile';
import { log, median } from '../measure';
import { figure, type Figure } from '../report';

const DISTORTIONS = { flip: true, rotationDeg: 10, zoom: 0.1, brightness: 0.1 };
const VIEWS = 4;

async function augmentedRun(ctx: BenchContext, name: string, views: number) {
  const runs = join(ctx.work, 'runs');
  await mkdir(runs, { recursive: true });
  const { images, inputSize, epochs, batchSize } = ctx;
  const file = await writeExperiment(ctx.work, { name, train: images.train, val: images.val, inputSize, epochs, batchSize, augmentation: { ...DISTORTIONS, views } });
  return () => trainWithCli(file, join(ctx.work, `cache-${name}`), runs);
}

export async function augmentationViewFigures(ctx: BenchContext): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const { images, inputSize, epochs } = ctx;
  const set = `${images.trainCount} + ${images.valCount} images at ${inputSize} px`;
  log(`augmentation on ${set}: live (views 0), ${epochs} epochs`);
  const live = await (await augmentedRun(ctx, 'bench-aug-live', 0))();
  log(`  ${live.seconds.toFixed(1)} s; ${VIEWS} cached views, cold`);
  const viewsRun = await augmentedRun(ctx, 'bench-aug-views', VIEWS);
  const cold = await viewsRun();
  const reruns = [];
  for (let i = 0; i < (ctx.quick ? 1 : 3); i++) reruns.push(await viewsRun());
  const rerun = median(reruns.map((r) => r.seconds));
  log(`  ${cold.seconds.toFixed(1)} s; reruns ${reruns.map((r) => r.seconds.toFixed(1)).join(', ')} s`);

  const label = `feature extraction with augmentation (${Object.keys(DISTORTIONS).join(', ')}), ${epochs} epochs, ${set}`;
  return {
    details: { live, cold, reruns },
    figures: [
      figure({
        id: 'augmentation-views-vs-live', kind: 'ratio', label: `${label}: ${VIEWS} cached views`, value: cold.seconds, unit: 's',
        baseline: { label: 'live augmentation (base every epoch)', value: live.seconds, unit: 's' }, target: { op: '<=', value: 0.5 },
        note: `val accuracy ${cold.valAccuracy.toFixed(3)} with ${VIEWS} views vs ${live.valAccuracy.toFixed(3)} live; train requests timed by the engine`,
      }),
      figure({
        id: 'augmentation-views-rerun', kind: 'ratio', label: `rerun of the ${VIEWS}-view run, unchanged base/data/augmentation`, value: rerun, unit: 's',
        baseline: { label: `first (cold) ${VIEWS}-view run`, value: cold.seconds, unit: 's' }, target: { op: '<=', value: 0.1 },
        note: `median of ${reruns.length} reruns (${reruns.map((r) => r.seconds.toFixed(2)).join(', ')} s)`,
      }),
    ],
  };
}
