// A host answers requests side by side: the Layers view's inspect and a search (or a train) may both be the first to
// ask for the engine. Both must get it, loaded once (the e2e saw 'engine "wasm" failed to initialise' there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectEngine } from '../../../src/engine/backend/select';

test('engine requests that arrive together, before any engine is loaded, all get the one engine', async () => {
  const engines = await Promise.all([selectEngine('wasm'), selectEngine('wasm'), selectEngine('wasm')]);
  for (const engine of engines) assert.equal(engine, engines[0]);
  assert.equal(engines[0].backend, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]), 3);
});
