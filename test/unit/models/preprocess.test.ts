import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { PREPROCESSINGS, preprocess } from '../../../src/engine/models/preprocess';

const PIXEL = [255, 0, 128]; // one RGB pixel

function run(kind: (typeof PREPROCESSINGS)[number]): number[] {
  const input = tf.tensor4d(PIXEL, [1, 1, 1, 3]);
  const before = tf.memory().numTensors;
  const output = preprocess(input, kind);
  assert.equal(tf.memory().numTensors, before + 1, 'only the output tensor survives');
  assert.deepEqual(output.shape, [1, 1, 1, 3]);
  const values = Array.from(output.dataSync());
  tf.dispose([input, output]);
  return values;
}

const close = (actual: number[], expected: number[]) =>
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-4, `${actual} vs ${expected}`));

test('scale-minus1-1 maps 0..255 to -1..1', () => close(run('scale-minus1-1'), PIXEL.map((v) => v / 127.5 - 1)));

test('scale-0-1 maps 0..255 to 0..1', () => close(run('scale-0-1'), PIXEL.map((v) => v / 255)));

test('caffe-bgr swaps to BGR and subtracts the ImageNet BGR means', () => {
  const [r, g, b] = PIXEL;
  close(run('caffe-bgr'), [b - 103.939, g - 116.779, r - 123.68]);
});

test('imagenet-mean-std is torchvision\'s (x / 255 − mean) / std per RGB channel', () => {
  const mean = [0.485, 0.456, 0.406];
  const std = [0.229, 0.224, 0.225];
  close(run('imagenet-mean-std'), PIXEL.map((v, c) => (v / 255 - mean[c]) / std[c]));
});

test('raw-0-255 leaves the pixels as they are (the model scales them itself)', () => close(run('raw-0-255'), PIXEL));

test('every preprocessing kind is handled', () => {
  for (const kind of PREPROCESSINGS) assert.equal(run(kind).length, 3);
});
