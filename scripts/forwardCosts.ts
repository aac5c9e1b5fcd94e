// Measures each catalog architecture's frozen forward pass in units of the calibration matmul
// (src/engine/backend/calibration.ts): the figures the catalog's forwardCost holds. Both are the fastest of many short
// runs (an image at a size where one pass lasts tens of milliseconds), so other jobs on the machine weigh on neither;
// the pass is scaled to 224 px by pixel count. Run: nice -n 10 node --import tsx scripts/forwardCosts.ts [--decode <folder>]
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fastest, peakMatmulGflops } from '../src/engine/backend/calibration';
import { selectEngine } from '../src/engine/backend/select';
import { decodeImage } from '../src/engine/data/decode';
import { loadBaseModel } from '../src/engine/models/load';
import { frozenForward, frozenRecipe } from '../src/engine/training/parallelRecipe';
import { pixelsToInput } from '../src/engine/training/tensors';

/** One catalog id per architecture and width (the others share its figure), at a size where a pass is short. */
const REFS: [ref: string, size: number][] = [
  ['vgg16', 64], ['resnet50', 96], ['inception_v3', 96], ['mobilenet', 224], ['mobilenet_0.75', 224], ['mobilenet_0.5', 224],
  ['mobilenet_0.25', 224], ['mobilenet_v2', 224], ['mobilenet_v2_0.35', 224], ['mobilenet_v2_0.5', 224], ['mobilenet_v2_0.75', 224],
  ['mobilenet_v2_1.3', 224], ['mobilenet_v2_1.4', 224],
];
const COST_SIZE = 224;
const REPS = 15;

async function forwardSeconds(ref: string, size: number, cacheDir: string): Promise<number> {
  const { model, info } = await loadBaseModel(ref, { inputSize: size, cacheDir, download: false });
  const folded = frozenForward(model, frozenRecipe('wasm', info, cacheDir, { pooling: 'avg' })!);
  const input = pixelsToInput(Uint8Array.from({ length: size * size * 3 }, (_, i) => Math.imul(i, 2654435761) >>> 24), size, info.preprocessing);
  try {
    const once = () => {
      const output = tf.tidy(() => folded.run(input));
      output.dataSync();
      output.dispose();
    };
    once(); // allocates and packs the weights
    return fastest(once, REPS) * (COST_SIZE / size) ** 2;
  } finally {
    input.dispose();
    folded.dispose();
    model.dispose();
  }
}

/** Decoding and resizing photos one at a time (the pass decodes while the base computes). */
async function decodeSeconds(folder: string): Promise<number> {
  const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(jpe?g|png)$/i.test(f)).slice(0, 40).map((f) => join(folder, f));
  const times: number[] = [];
  for (const file of files) {
    const started = performance.now();
    await decodeImage(file, COST_SIZE);
    times.push((performance.now() - started) / 1000);
  }
  return times.sort((a, b) => a - b)[times.length >> 1];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { decode: { type: 'string' } } });
  await selectEngine('wasm');
  peakMatmulGflops(); // the first call compiles and warms the wasm kernels
  const cacheDir = mkdtempSync(join(tmpdir(), 'forward-costs-'));
  try {
    for (const [ref, size] of REFS) {
      const seconds = await forwardSeconds(ref, size, cacheDir);
      const gflops = peakMatmulGflops();
      console.log(`${ref}: ${(seconds * gflops).toPrecision(3)} (${(seconds * 1000).toFixed(1)} ms/image at 224 px, matmul ${gflops.toFixed(1)} GFLOP/s)`);
    }
    if (values.decode) console.log(`decode: ${((await decodeSeconds(values.decode)) * peakMatmulGflops()).toPrecision(3)}`);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

void main();
