// `node --import tsx bench/fineTuneProfile.ts [inputSize] [batch] [--before]`: where a fine-tuning step's time goes, kernel by
// kernel, for the bench's fine-tuning cases (forward convs, input and filter gradients, BatchNorm, elementwise,
// optimizer), beside a forward pass of the same layers. Random inputs and weights: time does not depend on them.
import * as tf from '@tensorflow/tfjs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectEngine } from '../src/engine/backend/select';
import { applyTrainable, resolveTrainable } from '../src/engine/models/freeze';
import { describeLayers } from '../src/engine/models/layerTree';
import { loadBaseModel } from '../src/engine/models/load';
import { splitModel } from '../src/engine/models/split';
import { skipFrozenInputGradients } from '../src/engine/models/frozenInputConvs';
import { batchLoss } from '../src/engine/training/evaluate';
import { createOptimizer } from '../src/engine/training/learningRate';
import { createHeadLayers, createPooling, headModel } from '../src/engine/training/head';
import { FINE_TUNE_CASES } from './figures/fineTune';
import { kernelShares, type KernelShare } from './figures/placement';

const GROUPS: [group: string, test: RegExp][] = [
  ['forward convs', /^(Conv2D|FusedConv2D|DepthwiseConv2dNative|FusedDepthwiseConv2D|MatMul|_FusedMatMul|BatchMatMul)$/],
  ['input gradients', /BackpropInput$/],
  ['filter gradients', /BackpropFilter$/],
  ['BatchNorm (forward and gradient)', /BatchNorm|ChannelSums|ChannelCenteredDots/],
  ['transposes and copies', /^(Transpose|Reshape|Identity|Pad|MirrorPad|Slice|Concat|Tile)$/],
];

function grouped(kernels: KernelShare[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const k of kernels) {
    const group = GROUPS.find(([, test]) => test.test(k.kernel))?.[0] ?? 'elementwise and the rest';
    sums[group] = Number(((sums[group] ?? 0) + k.ms).toFixed(1));
  }
  return sums;
}

async function main(): Promise<void> {
  const inputSize = Number(process.argv[2] ?? 160);
  const batch = Number(process.argv[3] ?? 32);
  // --before: as the engine ran before skipFrozenInputGradients and FusedAdam (fused first conv, tfjs' Adam).
  const before = process.argv.includes('--before');
  await selectEngine('wasm');
  const cacheDir = await mkdtemp(join(tmpdir(), 'fine-tune-profile-'));
  for (const c of FINE_TUNE_CASES) {
    const { model } = await loadBaseModel(c.ref, { inputSize, cacheDir, download: false });
    const trainable = resolveTrainable(describeLayers(model), c.spec);
    applyTrainable(model, trainable);
    const split = splitModel(model, model.layers.find((layer) => trainable.has(layer.name))!.name);
    if (!before) skipFrozenInputGradients(split.top);
    const images = tf.randomUniform([batch, inputSize, inputSize, 3]) as tf.Tensor4D;
    const x = split.prefix ? tf.tidy(() => split.prefix!.predict(images) as tf.Tensor) : images;
    const pool = createPooling('avg');
    const headLayers = createHeadLayers({ pooling: 'avg', hiddenUnits: 0, dropout: 0.2 }, 2, 42);
    const head = headModel((pool.computeOutputShape(model.outputs[0].shape) as number[]).slice(1), headLayers);
    const variables = [...headLayers, ...model.layers.filter((layer) => trainable.has(layer.name))].flatMap((layer) => layer.trainableWeights.map((w) => w.read() as tf.Variable));
    const labels = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 2), 'int32');
    const forward = () => head.apply(pool.apply(split.top.apply(x, { training: false })), { training: false }) as tf.Tensor;
    const gradients = () => tf.variableGrads(() => batchLoss(head.apply(pool.apply(split.top.apply(x, { training: false })), { training: true }) as tf.Tensor2D, labels), variables);
    const optimizer: tf.Optimizer = before ? tf.train.adam(1e-4) : createOptimizer({ optimizer: 'adam', learningRate: 1e-4 });
    const step = () => { const { value, grads } = gradients(); optimizer.applyGradients(grads); return [value, ...Object.values(grads)]; };
    tf.dispose(forward());
    tf.dispose(step());
    const forwardKernels = await kernelShares(forward);
    const gradientKernels = await kernelShares(() => { const { value, grads } = gradients(); return [value, ...Object.values(grads)]; });
    const { grads } = gradients();
    const optimizerKernels = await kernelShares(() => { optimizer.applyGradients(grads); return []; });
    const total = (ks: KernelShare[]) => Number(ks.reduce((s, k) => s + k.ms, 0).toFixed(1));
    const report = {
      case: c.id, what: c.what, inputSize, batch, cached: split.boundary,
      forwardMs: total(forwardKernels), forward: grouped(forwardKernels),
      gradientsMs: total(gradientKernels), gradients: grouped(gradientKernels),
      optimizerMs: total(optimizerKernels),
      stepOverForward: Number(((total(gradientKernels) + total(optimizerKernels)) / total(forwardKernels)).toFixed(2)),
      topKernels: gradientKernels.slice(0, 12).map((k) => `${k.kernel} ${k.ms} ms ×${k.calls}`),
    };
    process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
    tf.dispose([images, x, labels, ...Object.values(grads)]);
    optimizer.dispose();
    head.dispose();
    model.dispose();
  }
}

main().catch((error) => { process.stderr.write(`${(error as Error).stack}\n`); process.exit(1); });
