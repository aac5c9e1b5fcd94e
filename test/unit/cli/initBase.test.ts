// `init` picks the best base it can reach, takes --preprocessing, and says what a model file's pixel range will be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { imagenetWeightsUrl } from '../../../src/engine/models/defaultBase';
import { cachedFilePath } from '../../../src/engine/models/cachedFile';
import { tfjsFileHandler } from '../../../src/engine/models/layersFiles';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { runCli } from './runCli';

async function experimentOf(file: string) {
  return JSON.parse(await readFile(file, 'utf8')) as { base: { model: string; preprocessing?: string } };
}

test('init without --base takes ImageNet MobileNetV2 when its weights are cached, and says why', async () => {
  const work = await mkdtemp(join(tmpdir(), 'tl-init-'));
  const cache = join(work, 'cache');
  const cached = cachedFilePath(imagenetWeightsUrl(), cache);
  await mkdir(dirname(cached), { recursive: true });
  await writeFile(cached, 'weights');
  const file = join(work, 'a.experiment.json');
  const init = await runCli(['init', file, '--data', work], { TRANSFER_LAB_CACHE: cache });
  assert.equal(init.code, 0, init.stderr);
  assert.equal((await experimentOf(file)).base.model, 'mobilenet_v2');
  assert.match(init.stdout, /base: mobilenet_v2: ImageNet weights already cached/);
});

test('init --preprocessing writes base.preprocessing; an unknown value is a usage error listing the values', async () => {
  const work = await mkdtemp(join(tmpdir(), 'tl-init-'));
  const file = join(work, 'a.experiment.json');
  assert.equal((await runCli(['init', file, '--data', work, '--base', 'nsfwjs_mobilenet_v2', '--preprocessing', 'imagenet-mean-std'])).code, 0);
  assert.equal((await experimentOf(file)).base.preprocessing, 'imagenet-mean-std');
  const bad = await runCli(['init', join(work, 'b.experiment.json'), '--data', work, '--base', 'nsfwjs_mobilenet_v2', '--preprocessing', 'torch']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--preprocessing must be one of scale-minus1-1, scale-0-1, imagenet-mean-std, caffe-bgr, raw-0-255, got "torch"/);
});

test('init with a model file that says nothing about its pixels warns that the range is a guess and how to set it', async () => {
  const work = await mkdtemp(join(tmpdir(), 'tl-init-'));
  const data = await writeSyntheticDataset(3, { size: 32 });
  const input = tf.input({ shape: [32, 32, 3] });
  const modelDir = join(work, 'model');
  await tf.model({ inputs: input, outputs: tf.layers.conv2d({ filters: 2, kernelSize: 3 }).apply(input) as tf.SymbolicTensor }).save(tfjsFileHandler(modelDir));
  const file = join(work, 'a.experiment.json');
  const init = await runCli(['init', file, '--data', data, '--base', modelDir]);
  assert.equal(init.code, 0, init.stderr);
  assert.match(init.stderr, /warn: preprocessing: scale-minus1-1 — .*This is a guess.*--preprocessing/);
  assert.equal((await experimentOf(file)).base.preprocessing, undefined, 'left to the run, which detects it the same way');
});
