// Frozen forward speed of each catalog base at 224 px (and its native size) and at its smallest input size, batch 1
// and 8, as the engine computes it (BatchNorm folded, one thread): what a user can expect per image on this
// machine. Weights are seeded random when not downloaded; speed does not depend on their values.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { findCatalogEntry } from '../../src/shared/catalog';
import { loadBaseModel } from '../../src/engine/models/load';
import { frozenForward, frozenRecipe } from '../../src/engine/training/parallelRecipe';
import { pixelsToInput } from '../../src/engine/training/tensors';
import type { BenchContext } from '../context';
import { interleaved, log } from '../measure';
import { flopsPerImage } from '../modelFlops';
import { figure, type Figure } from '../report';

/** Catalog ids with the sizes asked for beyond the smallest supported one. */
const BASES: [ref: string, sizes: number[]][] = [
  ['vgg16', [224]],
  ['resnet50', [224]],
  ['nsfwjs_inception_v3', [224, 299]],
  ['mobilenet', [224]],
  ['mobilenet_0.25', [224]],
  ['nsfwjs_mobilenet_v2', [224]],
  ['mobilenet_v2_0.35', [224]],
];
const BATCHES = [1, 8];

function randomPixels(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => Math.imul(i, 2654435761) >>> 24);
}

interface Measurement {
  ref: string;
  inputSize: number;
  batch: number;
  msPerImage: number;
  gflopPerImage: number;
  gflops: number;
  runsSeconds: number[];
}

async function measureBase(ref: string, inputSize: number, ctx: BenchContext): Promise<Measurement[]> {
  const cacheDir = join(ctx.work, 'cache-base-speed');
  const { model, info } = await loadBaseModel(ref, { inputSize, cacheDir, download: false });
  const folded = frozenForward(model, frozenRecipe('wasm', info, cacheDir, { pooling: 'avg' })!);
  const flops = flopsPerImage(model);
  const inputs = BATCHES.map((batch) => pixelsToInput(randomPixels(batch * inputSize * inputSize * 3), inputSize, info.preprocessing));
  const runs = Object.fromEntries(inputs.map((input, i) => [`batch ${BATCHES[i]}`, async () => tf.tidy(() => folded.run(input)).dataSync()]));
  try {
    // The first pass allocates and packs weights; it is not what a user waits for per image later.
    await runs[`batch ${BATCHES[0]}`]();
    // Batch sizes alternate so a burst of load from other jobs hits both alike.
    const timed = await interleaved(ctx.quick ? 1 : 3, runs);
    return BATCHES.map((batch) => {
      const { median, all } = timed[`batch ${batch}`];
      const perImage = median / batch;
      return { ref, inputSize, batch, msPerImage: perImage * 1000, gflopPerImage: flops / 1e9, gflops: flops / 1e9 / perImage, runsSeconds: all };
    });
  } finally {
    inputs.forEach((input) => input.dispose());
    folded.dispose();
    model.dispose();
  }
}

export async function baseSpeedFigures(ctx: BenchContext): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const measurements: Measurement[] = [];
  for (const [ref, sizes] of BASES) {
    const smallest = findCatalogEntry(ref)!.minInputSize;
    for (const inputSize of [smallest, ...sizes]) {
      log(`frozen forward ${ref}@${inputSize}`);
      measurements.push(...(await measureBase(ref, inputSize, ctx)));
    }
  }
  const how = `${tf.getBackend()} backend on the main thread with BatchNorm folded (frozenForward), as the engine runs a frozen base; `
    + `median of ${ctx.quick ? 1 : 3} runs per batch size, batch sizes interleaved; seeded random weights where not downloaded. `
    + 'Feature extraction adds worker threads on top (forward-throughput)';
  const figures = measurements.map((m, i) => figure({
    id: `base-forward-${m.ref}-${m.inputSize}-b${m.batch}`, kind: 'value', value: m.msPerImage, unit: 'ms/img',
    label: `frozen forward ${m.ref}@${m.inputSize}, batch ${m.batch}: ${m.gflops.toFixed(1)} GFLOP/s (${m.gflopPerImage.toPrecision(3)} GFLOP/img)`,
    note: i === 0 ? how : undefined,
  }));
  return { figures, details: { backend: tf.getBackend(), computedOn: 'main thread, BatchNorm folded (frozenForward)', measurements } };
}
