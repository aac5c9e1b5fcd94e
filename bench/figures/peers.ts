// Transfer Lab against what a user would otherwise run on the same CPU: PyTorch (Debian's python3-torch, system
// Python). Frozen-base forward throughput of each seed base, batch 32, as a run computes it (BatchNorm folded, worker
// threads) beside PyTorch eager and its best inference setting; and PyTorch's transfer-learning tutorial recipe
// (the frozen base on every image of every epoch) beside our feature-extraction experiment on the same images.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadBaseModel } from '../../src/engine/models/load';
import { defaultWorkerCount, ForwardPool, releaseAllPools } from '../../src/engine/training/parallelPool';
import { frozenRecipe } from '../../src/engine/training/parallelRecipe';
import { trainWithCli } from '../cliRun';
import type { BenchContext } from '../context';
import { writeExperiment } from '../experimentFile';
import { interleaved, log } from '../measure';
import { figure, type Figure, type Skipped } from '../report';

const run = promisify(execFile);
const BATCH = 32;
const PEERS = join(__dirname, '..', 'peers');
const INSTALL = 'apt-get install -y python3-torch python3-torchvision (Debian; importable from /usr/bin/python3, not a pyenv python)';

/** Catalog id, PyTorch name, input size, images per timed round (at least one batch per worker, see forwardFigures). */
const BASES: [ref: string, torchName: string, size: number, images: number][] = [
  ['mobilenet_v2', 'mobilenet_v2', 224, 128],
  ['mobilenet', 'mobilenet', 224, 128],
  ['resnet50', 'resnet50', 224, 64],
  ['inception_v3', 'inception_v3', 299, 64],
  ['vgg16', 'vgg16', 224, 64],
];

interface TorchForward {
  torch: string;
  threads: number;
  eager: number;
  channels_last: number;
  torchscript: number;
  best: number;
}

/** The Python that has PyTorch: TRANSFER_LAB_PEER_PYTHON, else Debian's system Python. */
async function peerPython(): Promise<string | undefined> {
  const python = process.env.TRANSFER_LAB_PEER_PYTHON ?? '/usr/bin/python3';
  try {
    await run(python, ['-c', 'import torch, torchvision']);
    return python;
  } catch {
    return undefined;
  }
}

async function pythonJson<T>(python: string, script: string, args: (string | number)[]): Promise<T> {
  const { stdout } = await run(python, [join(PEERS, script), ...args.map(String)], { maxBuffer: 1 << 20, timeout: 30 * 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

function pixelBatch(size: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: BATCH * size * size * 3 }, (_, i) => Math.imul(i + seed * 40503, 2654435761) >>> 24);
}

/** Images per second of the frozen base as a feature-extraction run computes it: BatchNorm folded, one worker per core. */
async function engineForward(ref: string, size: number, images: number, ctx: BenchContext): Promise<{ rate: number; workers: number }> {
  const cacheDir = join(ctx.work, 'cache-peers');
  const { model, info } = await loadBaseModel(ref, { inputSize: size, cacheDir, download: false });
  model.dispose();
  await releaseAllPools();
  const recipe = frozenRecipe('wasm', info, cacheDir, { pooling: 'avg' })!;
  const pool = (await ForwardPool.start({ ...recipe, base: { ...recipe.base, download: false } }))!;
  try {
    const batches = Array.from({ length: images / BATCH }, (_, i) => pixelBatch(size, i));
    await Promise.all(Array.from({ length: pool.size }, () => pool.run(batches[0].slice(), BATCH)));
    const timed = await interleaved(ctx.quick ? 1 : 3, { workers: () => Promise.all(batches.map((pixels) => pool.run(pixels.slice(), BATCH))) });
    return { rate: images / timed.workers.median, workers: pool.size };
  } finally {
    await pool.dispose();
  }
}

async function forwardFigures(python: string, ctx: BenchContext): Promise<{ figures: Figure[]; rows: unknown[] }> {
  const threads = defaultWorkerCount();
  const figures: Figure[] = [];
  const rows: unknown[] = [];
  for (const [ref, torchName, size, fullImages] of BASES) {
    // Every worker gets a batch: one batch for two workers would leave a core idle and halve our rate.
    const images = Math.max(ctx.quick ? 0 : fullImages, BATCH * threads);
    log(`peers: ${ref}@${size} in the engine (${threads} workers), then PyTorch (${threads} threads)`);
    const ours = await engineForward(ref, size, images, ctx);
    const torch = await pythonJson<TorchForward>(python, 'torch_forward.py', ['--model', torchName, '--size', size, '--batch', BATCH, '--images', images, '--threads', threads, '--rounds', ctx.quick ? 1 : 3]);
    log(`  ${ours.rate.toFixed(1)} img/s vs PyTorch eager ${torch.eager.toFixed(1)}, channels-last ${torch.channels_last.toFixed(1)}, TorchScript ${torch.torchscript.toFixed(1)}`);
    rows.push({ ref, size, engine: ours.rate, workers: ours.workers, torch });
    const mobile = ref.startsWith('mobilenet');
    figures.push(figure({
      id: `peer-forward-${torchName}`, kind: 'ratio', label: `frozen forward ${torchName}@${size}, batch ${BATCH}, vs PyTorch's best`, value: ours.rate, unit: 'img/s',
      baseline: { label: `PyTorch ${torch.torch} best of eager/channels-last/TorchScript`, value: torch.best, unit: 'img/s' },
      target: { op: '>=', value: mobile ? 2 : 1 },
      note: `engine: ${ours.workers} wasm workers, BatchNorm folded; PyTorch ${torch.threads} threads: eager ${torch.eager.toFixed(1)}, channels-last ${torch.channels_last.toFixed(1)}, `
        + `TorchScript freeze + optimize_for_inference ${torch.torchscript.toFixed(1)} img/s (eager ratio ${(ours.rate / torch.eager).toFixed(2)}×); random weights on both sides; median of ${ctx.quick ? 1 : 3} rounds of ${images} images`,
    }));
  }
  return { figures, rows };
}

async function tutorialFigure(python: string, ctx: BenchContext): Promise<{ figure: Figure; detail: unknown }> {
  const { images, inputSize, epochs, batchSize } = ctx;
  const label = `${images.trainCount + images.valCount} images at ${inputSize} px, ${epochs} epochs`;
  log(`peers: our feature-extraction experiment on ${label} (cold cache)`);
  const runs = join(ctx.work, 'runs-peers');
  await mkdir(runs, { recursive: true });
  const file = await writeExperiment(ctx.work, { name: 'bench-peers', train: images.train, val: images.val, inputSize, epochs, batchSize });
  const ours = await trainWithCli(file, join(ctx.work, 'cache-peers-experiment'), runs);
  log(`  ${ours.seconds.toFixed(1)} s; PyTorch tutorial recipe (ConvNet as fixed feature extractor)`);
  const torch = await pythonJson<{ seconds: number; val_accuracy: number; torch: string; threads: number }>(python, 'torch_transfer.py', [
    '--train', images.train, '--val', images.val, '--size', inputSize, '--epochs', epochs, '--batch', batchSize, '--threads', defaultWorkerCount(),
  ]);
  log(`  ${torch.seconds.toFixed(1)} s`);
  return {
    detail: { ours, torch },
    figure: figure({
      id: 'peer-experiment-vs-torch-tutorial', kind: 'speedup', label: `feature-extraction experiment, ${label}`, value: ours.seconds, unit: 's',
      baseline: { label: `PyTorch tutorial "ConvNet as fixed feature extractor" (MobileNetV2, base every epoch)`, value: torch.seconds, unit: 's' },
      target: { op: '>=', value: 10 },
      note: `both from a cold start on the same image folders, batch ${batchSize}; PyTorch ${torch.torch}, ${torch.threads} threads, as many DataLoader worker processes, `
        + `random weights (no download here) so its val accuracy ${torch.val_accuracy.toFixed(3)} says nothing; ours (nsfwjs MobileNetV2) ${ours.valAccuracy.toFixed(3)}`,
    }),
  };
}

export async function peerFigures(ctx: BenchContext): Promise<{ figures?: Figure[]; skipped?: Skipped[]; details?: Record<string, unknown> }> {
  const python = await peerPython();
  if (!python) return { skipped: [{ id: 'peers', label: 'PyTorch peers', reason: `PyTorch not importable: ${INSTALL}` }] };
  const forward = await forwardFigures(python, ctx);
  const tutorial = await tutorialFigure(python, ctx);
  return { figures: [...forward.figures, tutorial.figure], details: { python, forward: forward.rows, tutorial: tutorial.detail } };
}
