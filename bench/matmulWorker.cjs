// One thread of the machine-ceiling measurement: repeated n×n float32 matmuls on tfjs wasm, timed after a warm-up.
const { parentPort, workerData } = require('node:worker_threads');
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');

async function main() {
  await tf.setBackend('wasm');
  const { n, reps } = workerData;
  const a = tf.randomUniform([n, n]);
  const b = tf.randomUniform([n, n]);
  const once = () => tf.tidy(() => tf.matMul(a, b)).dataSync();
  once();
  parentPort.postMessage({ kind: 'ready' });
  parentPort.once('message', () => {
    const started = performance.now();
    for (let i = 0; i < reps; i++) once();
    parentPort.postMessage({ kind: 'done', gflops: (2 * n ** 3 * reps) / ((performance.now() - started) / 1000) / 1e9 });
  });
}
main();
