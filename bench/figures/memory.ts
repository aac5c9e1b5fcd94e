// Peak memory of the training host must not grow with the dataset: the same one-epoch feature-extraction run on
// 2,000 and on 20,000 small images (Fashion-MNIST at 32 px, so the large run fits the bench's time budget).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { trainWithCli } from '../cliRun';
import type { BenchContext } from '../context';
import { writeExperiment } from '../experimentFile';
import { fashionImages } from '../imageSets';
import { log } from '../measure';
import { figure, type Figure } from '../report';

const SIZE = 32;

async function hostPeak(ctx: BenchContext, perClass: number) {
  const folder = await fashionImages(perClass);
  const file = await writeExperiment(ctx.work, { name: `bench-memory-${perClass}`, train: folder, inputSize: SIZE, epochs: 1, batchSize: 32 });
  const runs = join(ctx.work, 'runs');
  await mkdir(runs, { recursive: true });
  return trainWithCli(file, join(ctx.work, `cache-memory-${perClass}`), runs);
}

export async function memoryFigures(ctx: BenchContext): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const [small, large] = ctx.quick ? [20, 200] : [200, 2000];
  log(`memory: ${small * 10} images`);
  const few = await hostPeak(ctx, small);
  log(`  ${few.hostPeakRssMb.toFixed(0)} MB in ${few.seconds.toFixed(1)} s; ${large * 10} images`);
  const many = await hostPeak(ctx, large);
  log(`  ${many.hostPeakRssMb.toFixed(0)} MB in ${many.seconds.toFixed(1)} s`);
  return {
    details: { few, many },
    figures: [figure({
      id: 'memory', kind: 'ratio', label: `training host peak RSS, ${large * 10} vs ${small * 10} images`, value: many.hostPeakRssMb, unit: 'MB',
      baseline: { label: `${small * 10} images`, value: few.hostPeakRssMb, unit: 'MB' }, target: { op: '<=', value: 1.5 },
      note: `Fashion-MNIST at ${SIZE} px, feature extraction, 1 epoch, cold cache; train requests took ${few.seconds.toFixed(1)} s and ${many.seconds.toFixed(1)} s`,
    })],
  };
}
