// Frozen-base forward throughput of MobileNetV2 at 224 px: the engine (BatchNorm folded, worker threads) against
// one tfjs wasm process running the model as loaded, batch 32, on the same pixel batches, alternating so other load
// hits each alike.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { loadBaseModel } from '../../src/engine/models/load';
import { ForwardPool, releaseAllPools } from '../../src/engine/training/parallelPool';
import { createPooling } from '../../src/engine/training/head';
import { frozenForward, frozenRecipe } from '../../src/engine/training/parallelRecipe';
import { pixelsToInput } from '../../src/engine/training/tensors';
import type { BenchContext } from '../context';
import { interleaved, log, seconds } from '../measure';
import { flopsPerImage } from '../modelFlops';
import { figure, type Figure } from '../report';
import { machineCeiling } from './ceiling';

const SIZE = 224;
const BATCH = 32;

function pixelBatch(seed: number): Uint8Array {
  return Uint8Array.from({ length: BATCH * SIZE * SIZE * 3 }, (_, i) => Math.imul(i + seed * 40503, 2654435761) >>> 24);
}

export async function throughputFigures(ctx: BenchContext): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  log('machine ceiling (matmul)');
  const ceiling = await machineCeiling(ctx.quick);
  log(`  ${ceiling.oneThreadGflops.toFixed(1)} GFLOP/s one thread, ${ceiling.allThreadsGflops.toFixed(1)} on ${ceiling.threads}; MobileNetV2@224 forward`);
  const { model, info } = await loadBaseModel('nsfwjs_mobilenet_v2', { inputSize: SIZE, cacheDir: join(ctx.work, 'cache-throughput') });
  const recipe = frozenRecipe('wasm', info, join(ctx.work, 'cache-throughput'), { pooling: 'avg' })!;
  const folded = frozenForward(model, recipe);
  const pool2d = createPooling('avg');
  const flops = flopsPerImage(model);
  const batches = Array.from({ length: ctx.quick ? 2 : 4 }, (_, i) => pixelBatch(i));
  const images = batches.length * BATCH;
  const input = (pixels: Uint8Array) => pixelsToInput(pixels, SIZE, info.preprocessing);
  const asLoaded = (pixels: Uint8Array) => tf.tidy(() => pool2d.apply(model.predict(input(pixels), { batchSize: BATCH }) as tf.Tensor) as tf.Tensor).dataSync();
  const foldedHere = (pixels: Uint8Array) => tf.tidy(() => folded.run(input(pixels))).dataSync();

  const firstBatchSeconds = await seconds(() => asLoaded(batches[0]));
  foldedHere(batches[0]);
  await releaseAllPools();
  const startStarted = performance.now();
  const pool = (await ForwardPool.start(recipe))!;
  const startupSeconds = (performance.now() - startStarted) / 1000;
  const warmupSeconds = await seconds(() => Promise.all(Array.from({ length: pool.size }, (_, i) => pool.run(batches[i % batches.length].slice(), BATCH))));
  const timed = await interleaved(ctx.quick ? 1 : 3, {
    oneProcess: async () => batches.forEach(asLoaded),
    foldedOneThread: async () => batches.forEach(foldedHere),
    workers: () => Promise.all(batches.map((pixels) => pool.run(pixels.slice(), BATCH))),
  });
  await pool.dispose();
  folded.dispose();
  model.dispose();

  const single = images / timed.oneProcess.median;
  const foldedRate = images / timed.foldedOneThread.median;
  const parallel = images / timed.workers.median;
  const gflops = (rate: number) => (rate * flops) / 1e9;
  log(`  ${single.toFixed(1)} (as loaded) vs ${foldedRate.toFixed(1)} (folded) vs ${parallel.toFixed(1)} (workers) images/s`);
  const rounds = { oneProcess: timed.oneProcess.all, foldedOneThread: timed.foldedOneThread.all, workers: timed.workers.all };
  const details = { ceiling, flopsPerImage: flops, images, rounds, startupSeconds, warmupSeconds, firstBatchSeconds };
  return {
    details,
    figures: [
      figure({
        id: 'forward-throughput', kind: 'ratio', label: `frozen-base forward, MobileNetV2@${SIZE}, ${pool.size} worker threads`, value: parallel, unit: 'img/s',
        baseline: { label: `one tfjs wasm process, batch ${BATCH}`, value: single, unit: 'img/s' }, target: { op: '>=', value: 1.8 },
        note: `BatchNorm folded, one thread: ${foldedRate.toFixed(1)} img/s (${(foldedRate / single).toFixed(2)}×); workers add ${(parallel / foldedRate).toFixed(2)}× `
          + `where the machine gave ${(ceiling.allThreadsGflops / ceiling.oneThreadGflops).toFixed(2)}× to ${ceiling.threads} matmul threads over one in this run. `
          + `${gflops(parallel).toFixed(1)} GFLOP/s = ${((100 * gflops(parallel)) / ceiling.allThreadsGflops).toFixed(0)}% of the ${ceiling.threads}-thread matmul ceiling `
          + `(${ceiling.allThreadsGflops.toFixed(1)}); one process ${gflops(single).toFixed(1)} GFLOP/s = ${((100 * gflops(single)) / ceiling.oneThreadGflops).toFixed(0)}% of one thread's `
          + `(${ceiling.oneThreadGflops.toFixed(1)}); ${(flops / 1e9).toFixed(2)} GFLOP/image; workers start in ${startupSeconds.toFixed(1)} s + first batch ${warmupSeconds.toFixed(1)} s`,
      }),
    ],
  };
}
