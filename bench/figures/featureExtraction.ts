// Feature extraction, 10 epochs, through the CLI as a user runs it: against the Keras recipe on a subset small
// enough for the recipe to finish in the bench's budget, then on the full image set against one pass of the base
// (measured just before and just after, so load from other jobs hits both alike) and against its own rerun.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { trainWithCli, type CliTrainResult } from '../cliRun';
import type { BenchContext } from '../context';
import { writeExperiment } from '../experimentFile';
import type { ImageSet } from '../imageSets';
import { log, median } from '../measure';
import { onePass, samplesIn } from '../onePass';
import { figure, type Figure } from '../report';
import { kerasRecipe } from './kerasRecipe';

async function experiment(ctx: BenchContext, name: string, images: ImageSet): Promise<{ train(): Promise<CliTrainResult> }> {
  const runs = join(ctx.work, 'runs');
  await mkdir(runs, { recursive: true });
  const file = await writeExperiment(ctx.work, { name, train: images.train, val: images.val, inputSize: ctx.inputSize, epochs: ctx.epochs, batchSize: ctx.batchSize });
  return { train: () => trainWithCli(file, join(ctx.work, `cache-${name}`), runs) };
}

export async function featureExtractionFigures(ctx: BenchContext): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const { images, fullImages, inputSize, batchSize, epochs } = ctx;
  const small = `${images.trainCount + images.valCount} images at ${inputSize} px`;
  const full = `${fullImages.trainCount + fullImages.valCount} images at ${inputSize} px`;

  log(`experiment on ${small} (CLI)`);
  const subset = await (await experiment(ctx, 'bench-subset', images)).train();
  log(`  ${subset.seconds.toFixed(1)} s; Keras recipe on the same images`);
  const keras = await kerasRecipe(images, { inputSize, epochs, batchSize, cacheDir: join(ctx.work, 'cache-keras') });
  log(`  ${keras.seconds.toFixed(1)} s; one pass of the base over ${full}`);
  const samples = await samplesIn(fullImages.train, fullImages.val);
  const passBefore = await onePass(samples, inputSize, batchSize, 'auto', ctx.work);
  log(`  ${passBefore.seconds.toFixed(1)} s (${passBefore.computedBy}); experiment, cold`);
  const whole = await experiment(ctx, 'bench-full', fullImages);
  const cold = await whole.train();
  log(`  ${cold.seconds.toFixed(1)} s; one pass again`);
  const passAfter = await onePass(samples, inputSize, batchSize, 'auto', ctx.work);
  const pass = (passBefore.seconds + passAfter.seconds) / 2;
  const reruns: CliTrainResult[] = [];
  for (let i = 0; i < (ctx.quick ? 1 : 3); i++) reruns.push(await whole.train());
  const rerun = median(reruns.map((r) => r.seconds));
  log(`  ${passAfter.seconds.toFixed(1)} s; reruns ${reruns.map((r) => r.seconds.toFixed(1)).join(', ')} s`);

  const label = `feature-extraction experiment, ${epochs} epochs`;
  return {
    details: { subset, keras, cold, reruns, passes: [passBefore, passAfter] },
    figures: [
      figure({
        id: 'experiment-vs-keras', kind: 'speedup', label: `${label}, ${small}`, value: subset.seconds, unit: 's',
        baseline: { label: 'Keras recipe (fitDataset, base every epoch)', value: keras.seconds, unit: 's' }, target: { op: '>=', value: 6 },
        note: `val accuracy ${subset.valAccuracy.toFixed(3)} vs Keras recipe ${keras.valAccuracy.toFixed(3)}; train request timed by the engine, CLI wall ${subset.wallSeconds.toFixed(1)} s`,
      }),
      figure({
        id: 'experiment-vs-one-pass', kind: 'ratio', label: `${label}, ${full}`, value: cold.seconds, unit: 's',
        baseline: { label: 'one pass of the base (features once)', value: pass, unit: 's' }, target: { op: '<=', value: 1.25 },
        note: `one pass = decode, frozen forward and store of every image, as the engine computes features (${passAfter.computedBy}); `
          + `mean of the passes just before and after (${passBefore.seconds.toFixed(1)}, ${passAfter.seconds.toFixed(1)} s); val accuracy ${cold.valAccuracy.toFixed(3)}`,
      }),
      figure({
        id: 'rerun', kind: 'ratio', label: `rerun, unchanged base/data/preprocessing, ${full}`, value: rerun, unit: 's',
        baseline: { label: 'first (cold) run', value: cold.seconds, unit: 's' }, target: { op: '<=', value: 0.1 },
        note: `median of ${reruns.length} reruns (${reruns.map((r) => r.seconds.toFixed(2)).join(', ')} s); host peak RSS ${cold.hostPeakRssMb.toFixed(0)} MB cold, ${reruns[0].hostPeakRssMb.toFixed(0)} MB rerun`,
      }),
    ],
  };
}
