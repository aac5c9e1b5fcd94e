import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';
import { runCli } from './runCli';

async function experiment(base: Record<string, unknown> = { version: 2, base: { model: 'nsfwjs_mobilenet_v2' } }): Promise<string> {
  const data = await writeSyntheticDataset(6);
  const file = join(await mkdtemp(join(tmpdir(), 'tl-engine-')), 'e.experiment.json');
  await writeFile(file, JSON.stringify({ name: 'e', data: { root: data, inputSize: 32, split: { val: 0.34 } }, ...base, phases: [{ epochs: 2, batchSize: 6 }] }));
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

test('a file written before the catalog rename (no "version", base "mobilenet_v2") trains the shipped checkpoint it meant and says its new name once on stderr', async () => {
  const file = await experiment({ base: { model: 'mobilenet_v2' } });
  const result = await runCli(['train', file, '--engine', 'cpu', '--json'], { TRANSFER_LAB_CACHE: await mkdtemp(join(tmpdir(), 'tl-cache-')) });
  assert.equal(result.code, 0, result.stderr);
  const notes = result.stderr.split('\n').filter((line) => line.includes('is now called'));
  assert.equal(notes.length, 1, result.stderr);
  assert.match(notes[0], /base\.model "mobilenet_v2" is now called "nsfwjs_mobilenet_v2"/);
  const snapshot = JSON.parse(await readFile(join(String(result.json.run_dir), 'experiment.json'), 'utf8'));
  assert.deepEqual([snapshot.version, snapshot.base.model], [2, 'nsfwjs_mobilenet_v2'], 'the run folder keeps the meaning under the new name');
});
