// Measures each catalog architecture's frozen forward pass at 224 px in units of the calibration matmul
// (src/engine/backend/calibration.ts), the figures the catalog's forwardCost holds. Each round times the forward pass,
// then the matmul for as long, so load from other jobs weighs on both alike; the figure is the median round. Run: nice -n 10 node --import tsx scripts/forwardCosts.ts [--decode <folder>]
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CALIBRATION_SECONDS, matmulGflops } from '../src/engine/backend/calibration';
import { selectEngine } from '../src/engine/backend/select';
import { decodeImage } from '../src/engine/data/decode';
import { loadBaseModel } from '../src/engine/models/load';
import { frozenForward, frozenRecipe } from '../src/engine/training/parallelRecipe';
import { pixelsToInput } from '../src/engine/training/tensors';

/** One catalog id per architecture and width: the others share its figure. */
const REFS = ['vgg16', 'resnet50', 'inception_v3', 'mobilenet', 'mobilenet_0.75', 'mobilenet_0.5', 'mobilenet_0.25',
  'mobilenet_v2', 'mobilenet_v2_0.35', 'mobilenet_v2_0.5', 'mobilenet_v2_0.75', 'mobilenet_v2_1.3', 'mobilenet_v2_1.4'];
const SIZE = 224;
const BATCH = 4;
const ROUNDS = 5;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** Seconds per image × the matmul's GFLOP/s measured right after for as long as the work took (at least the calibration's time). */
async function cost(work: () => Promise<number>, images: number): Promise<number> {
  const units: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const seconds = await work();
    units.push((seconds / images) * matmulGflops(Math.max(seconds, CALIBRATION_SECONDS)));
  }
  return median(units);
}

async function forwardCost(ref: string, cacheDir: string): Promise<number> {
  const { model, info } = await loadBaseModel(ref, { inputSize: SIZE, cacheDir, download: false });
  const folded = frozenForward(model, frozenRecipe('wasm', info, cacheDir, { pooling: 'avg' })!);
  const pixels = Uint8Array.from({ length: BATCH * SIZE * SIZE * 3 }, (_, i) => Math.imul(i, 2654435761) >>> 24);
  const input = pixelsToInput(pixels, SIZE, info.preprocessing);
  const once = () => timed(async () => tf.tidy(() => folded.run(input)).dataSync());
  try {
    await once(); // allocates and packs the weights
    return await cost(once, BATCH);
  } finally {
    input.dispose();
    folded.dispose();
    model.dispose();
  }
}

async function decodeCost(folder: string): Promise<number> {
  const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(jpe?g|png)$/i.test(f)).slice(0, 24).map((f) => join(folder, f));
  return cost(() => timed(() => Promise.all(files.map((f) => decodeImage(f, SIZE)))), files.length);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { decode: { type: 'string' } } });
  await selectEngine('wasm');
  const cacheDir = mkdtempSync(join(tmpdir(), 'forward-costs-'));
  try {
    for (const ref of REFS) console.log(`${ref}: ${(await forwardCost(ref, cacheDir)).toPrecision(3)}`);
    if (values.decode) console.log(`decode: ${(await decodeCost(values.decode)).toPrecision(3)}`);
    console.log(`matmul now: ${matmulGflops().toFixed(1)} GFLOP/s`);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

void main();
