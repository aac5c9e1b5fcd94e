import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { runCli } from './runCli';

async function experiment(): Promise<string> {
  const data = await writeSyntheticDataset(6);
  const file = join(await mkdtemp(join(tmpdir(), 'tl-engine-')), 'e.experiment.json');
  await writeFile(file, JSON.stringify({ name: 'e', data: { root: data, inputSize: 32, split: { val: 0.34 } }, base: { model: 'mobilenet_v2' }, phases: [{ epochs: 2, batchSize: 6 }] }));
  return file;
}

test('--engine forces the engine, and the run reports the one it used', async () => {
  const file = await experiment();
  const env = { TRANSFER_LAB_CACHE: await mkdtemp(join(tmpdir(), 'tl-cache-')) };
  const cpu = await runCli(['train', file, '--engine', 'cpu', '--json'], env);
  assert.equal(cpu.code, 0, cpu.stderr);
  assert.equal(cpu.json.engine, 'cpu');
  assert.match(String(cpu.json.engine_detail), /pure JavaScript/);
  const auto = await runCli(['train', file, '--json'], env);
  assert.equal(auto.json.engine, 'wasm', 'auto picks wasm where tfjs-node is not installed');
});

test('forcing tfjs-node where it is not installed fails with the fix', async (t) => {
  let installed = true;
  try {
    require.resolve('@tensorflow/tfjs-node');
  } catch {
    installed = false;
  }
  if (installed) return t.skip('tfjs-node is installed here');
  const result = await runCli(['train', await experiment(), '--engine', 'tfjs-node', '--json']);
  assert.equal(result.code, 1);
  assert.match(String(result.json.error), /engine "tfjs-node" is not installed: run `npm install @tensorflow\/tfjs-node`/);
});
