// A second, independent runtime as a peer: the exported MobileNetV2 classifier (224 px, nsfwjs weights) predicted in
// ONNX Runtime (onnxruntime-web, wasm, as many threads as the machine has) beside the engine's own prediction of the
// same run model (what `predict` runs), on the same decoded images, in one run — with the largest probability gap.
import * as tf from '@tensorflow/tfjs';
import { cpus } from 'node:os';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportRun } from '../../src/engine/export/exportRun';
import { loadBaseModel } from '../../src/engine/models/load';
import { exportModel } from '../../src/engine/training/artifacts';
import { createHeadLayers, createPooling } from '../../src/engine/training/head';
import { loadRunModel } from '../../src/engine/training/runModel';
import { pixelsToInput } from '../../src/engine/training/tensors';
import { decodeAll } from '../../test/unit/export/fixtures/classifierRun';
import { onnxProbabilities, openSession } from '../../test/unit/export/fixtures/onnxRuntime';
import type { BenchContext } from '../context';
import { interleaved, log } from '../measure';
import { figure, type Figure } from '../report';

const INPUT_SIZE = 224;
const BATCH = 16;

async function imagePaths(folder: string, count: number): Promise<string[]> {
  const classes = (await readdir(folder)).sort();
  const perClass = await Promise.all(classes.map(async (c) => (await readdir(join(folder, c))).sort().map((f) => join(folder, c, f))));
  return perClass.flat().filter((_, i) => i < count * classes.length).slice(0, count);
}

export async function onnxPeerFigures(ctx: BenchContext): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const runDir = join(ctx.work, 'onnx-peer-run');
  const { model: base, info } = await loadBaseModel('nsfwjs_mobilenet_v2', { inputSize: INPUT_SIZE, cacheDir: join(ctx.work, 'cache-onnx-peer'), download: false });
  const classes = (await readdir(ctx.images.train)).sort();
  await exportModel(runDir, base, createPooling('avg'), createHeadLayers({ pooling: 'avg', hiddenUnits: 0, dropout: 0 }, classes.length, 1),
    { classes, inputSize: INPUT_SIZE, preprocessing: info.preprocessing, base: info.id, featureLayer: info.cutLayer });
  base.dispose();
  const exported = await exportRun(runDir, { format: 'onnx' });
  const count = ctx.quick ? BATCH : 4 * BATCH;
  const pixels = await decodeAll(await imagePaths(ctx.images.val, count), INPUT_SIZE);
  const batches = Array.from({ length: count / BATCH }, (_, b) => pixels.subarray(b * BATCH * INPUT_SIZE * INPUT_SIZE * 3, (b + 1) * BATCH * INPUT_SIZE * INPUT_SIZE * 3));
  const { model, card } = await loadRunModel(runDir);
  const threads = cpus().length;
  const session = await openSession(await readFile(exported.file), threads);
  const engine = async () => Promise.all(batches.map((batch) => tf.tidy(() => model.predict(pixelsToInput(batch, INPUT_SIZE, card.preprocessing)) as tf.Tensor).data()));
  const runtime = async () => { const out: Float32Array[] = []; for (const batch of batches) out.push(await onnxProbabilities(session, batch, INPUT_SIZE)); return out; };
  try {
    const [fromEngine, fromRuntime] = [await engine(), await runtime()]; // also the warm-up pass of each
    let maxDiff = 0;
    fromEngine.forEach((p, b) => p.forEach((v, i) => { maxDiff = Math.max(maxDiff, Math.abs(v - fromRuntime[b][i])); }));
    log(`onnx peer: ${count} images at ${INPUT_SIZE} px, batch ${BATCH}, ONNX Runtime with ${threads} threads; max |Δp| ${maxDiff.toExponential(2)}`);
    const timed = await interleaved(ctx.quick ? 1 : 3, { engine, runtime });
    const perImage = (s: number) => (s / count) * 1000;
    const note = `exported MobileNetV2@${INPUT_SIZE} classifier (nsfwjs weights, softmax head), ${count} validation images decoded once, batch ${BATCH}; `
      + `engine: the run model's predict on the ${tf.getBackend()} backend (what \`predict\` runs); ONNX Runtime: onnxruntime-web wasm, numThreads ${threads}; `
      + `median of ${ctx.quick ? 1 : 3} interleaved rounds. Same probabilities: max |Δp| ${maxDiff.toExponential(2)}. A peer check, no target`;
    return {
      figures: [figure({
        id: 'onnx-runtime-peer-mobilenet_v2', kind: 'ratio', value: perImage(timed.runtime.median), unit: 'ms/img',
        label: `MobileNetV2@${INPUT_SIZE} forward in ONNX Runtime (peer) vs the engine`,
        baseline: { label: `engine (${tf.getBackend()})`, value: perImage(timed.engine.median), unit: 'ms/img' }, note,
      })],
      details: { threads, count, batch: BATCH, maxProbabilityDifference: maxDiff, engineSeconds: timed.engine.all, runtimeSeconds: timed.runtime.all, onnxBytes: (await readFile(exported.file)).length },
    };
  } finally {
    model.dispose();
    await session.release();
  }
}
