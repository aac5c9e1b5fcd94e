// Where the engine runs what: which backend, which threads, and for each kernel of a frozen forward pass and of a
// fine-tuning step whether wasm's own code or a Transfer Lab replacement computes it, with its share of the time.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { join } from 'node:path';
import { applyTrainable, resolveTrainable } from '../../src/engine/models/freeze';
import { describeLayers } from '../../src/engine/models/layerTree';
import { loadBaseModel } from '../../src/engine/models/load';
import { loopsFor } from '../../src/engine/backend/wasmKernelCalls';
import { splitModel } from '../../src/engine/models/split';
import { frozenForward, frozenRecipe } from '../../src/engine/training/parallelRecipe';
import type { BenchContext } from '../context';

/** Kernels Transfer Lab registers for wasm, and how each computes. Everything else is tfjs-backend-wasm's own. */
function transferLabKernels(): Record<string, string> {
  const loop = loopsFor(tf.backend() as BackendWasm).kind === 'simd' ? 'Transfer Lab: wasm SIMD loop' : 'Transfer Lab: JavaScript loop';
  return {
    Conv2DBackpropFilter: 'Transfer Lab: XNNPACK conv, 1×1 as transpose + matmul',
    Conv2DBackpropInput: 'Transfer Lab: XNNPACK conv of dilated dy (wasm loop for NCHW)',
    DepthwiseConv2dNativeBackpropFilter: `${loop} (JavaScript if multiplier > 1)`,
    DepthwiseConv2dNativeBackpropInput: 'Transfer Lab: XNNPACK depthwise conv (loop if multiplier > 1)',
    Identity: 'Transfer Lab: shared buffer, no copy',
    Slice: 'Transfer Lab: row copies when the last axis is whole',
    TransferLabAdam: loop,
    TransferLabClipByValueGrad: loop,
    TransferLabChannelSums: loop,
    TransferLabChannelCenteredDots: loop,
  };
}

export interface KernelShare {
  kernel: string;
  calls: number;
  ms: number;
  runsOn: string;
}

export async function kernelShares(work: () => tf.Tensor | tf.Tensor[]): Promise<KernelShare[]> {
  const profile = await tf.profile(() => work());
  const byName = new Map<string, KernelShare>();
  const ours = transferLabKernels();
  // tfjs also lists the op wrapping a fused kernel ("fusedConv2d__op"): the same time, counted once here.
  for (const k of profile.kernels.filter((kernel) => !kernel.name.endsWith('__op'))) {
    const share = byName.get(k.name) ?? { kernel: k.name, calls: 0, ms: 0, runsOn: ours[k.name] ?? 'tfjs-backend-wasm' };
    share.calls += 1;
    share.ms += k.kernelTimeMs as number;
    byName.set(k.name, share);
  }
  return [...byName.values()].sort((a, b) => b.ms - a.ms).map((s) => ({ ...s, ms: Number(s.ms.toFixed(1)) }));
}

export async function placementDetails(ctx: BenchContext, engineDetail: string): Promise<Record<string, unknown>> {
  const cacheDir = join(ctx.work, 'cache-placement');
  const { model, info } = await loadBaseModel('nsfwjs_mobilenet_v2', { inputSize: ctx.inputSize, cacheDir });
  const input = tf.randomUniform([ctx.batchSize, ctx.inputSize, ctx.inputSize, 3]) as tf.Tensor4D;
  tf.tidy(() => model.predict(input) as tf.Tensor).dispose();
  const forward = await kernelShares(() => model.predict(input) as tf.Tensor);
  const frozen = frozenForward(model, frozenRecipe('wasm', info, cacheDir, { pooling: 'avg' })!);
  tf.tidy(() => frozen.run(input)).dispose();
  const frozenPass = await kernelShares(() => frozen.run(input));
  frozen.dispose();

  const trainable = resolveTrainable(describeLayers(model), { topBlocks: 2 });
  applyTrainable(model, trainable);
  const split = splitModel(model, model.layers.find((layer) => trainable.has(layer.name))!.name);
  const cached = split.prefix!.predict(input) as tf.Tensor;
  const variables = model.layers.filter((layer) => trainable.has(layer.name)).flatMap((layer) => layer.trainableWeights.map((w) => w.read() as tf.Variable));
  const step = () => {
    const { value, grads } = tf.variableGrads(() => tf.mean(split.top.apply(cached, { training: false }) as tf.Tensor) as tf.Scalar, variables);
    return [value, ...Object.values(grads)];
  };
  tf.dispose(step());
  const fineTuneStep = await kernelShares(step);
  tf.dispose([input, cached]);
  model.dispose();
  return {
    engine: engineDetail,
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    wasmThreadsPerProcess: 1,
    threads: 'frozen base: worker threads (one tfjs wasm engine and model copy each) when ensureActivations judges it worth it, else the main thread; trainable layers, head and optimizer: the main thread',
    forward: { what: `MobileNetV2 forward as loaded (model.predict), batch ${ctx.batchSize} at ${ctx.inputSize} px`, kernels: forward },
    frozenPass: { what: 'the same, as the engine runs a frozen base (BatchNorm and ReLU6 folded into the convs)', kernels: frozenPass },
    fineTuneStep: { what: `gradients of MobileNetV2's top blocks (${split.boundary} cached), batch ${ctx.batchSize} at ${ctx.inputSize} px`, kernels: fineTuneStep },
  };
}

export function placementText(details: Record<string, unknown>): string {
  const section = (part: { what: string; kernels: KernelShare[] }) => {
    const total = part.kernels.reduce((sum, k) => sum + k.ms, 0);
    const rows = part.kernels.filter((k) => k.ms >= total * 0.01).map((k) => `    ${k.kernel.padEnd(38)} ${k.ms.toFixed(1).padStart(7)} ms ${String(k.calls).padStart(4)}×  ${k.runsOn}`);
    return [`  ${part.what}: ${total.toFixed(0)} ms of kernels (≥ 1% shown)`, ...rows].join('\n');
  };
  type Part = Parameters<typeof section>[0];
  const d = details as { engine: string; simd: boolean; threads: string; forward: Part; frozenPass: Part; fineTuneStep: Part };
  return [`where things run: ${d.engine}; wasm SIMD ${d.simd ? 'on' : 'off'}; one wasm thread per process`, `  ${d.threads}`, section(d.forward), section(d.frozenPass), section(d.fineTuneStep)].join('\n');
}
