import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineName } from '../../../src/protocol/experiment';
import { AUTO_ORDER, EngineError, type EngineInfo, type EngineLoaders, gpuDetail, pickEngine } from '../../../src/engine/backend/select';

/** Loaders that succeed for the named engines only, recording which were tried. */
function fakeLoaders(available: EngineName[]): { loaders: EngineLoaders; tried: EngineName[] } {
  const tried: EngineName[] = [];
  const loader = (name: EngineName) => async (): Promise<EngineInfo | undefined> => {
    tried.push(name);
    return available.includes(name) ? { name, backend: name, detail: name } : undefined;
  };
  const loaders = Object.fromEntries(AUTO_ORDER.map((name) => [name, loader(name)])) as EngineLoaders;
  return { loaders, tried };
}

test('auto tries tfjs-node-gpu first, then tfjs-node, wasm and cpu, and stops at the first that loads', async () => {
  const cases: [EngineName[], EngineName, EngineName[]][] = [
    [['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'], 'tfjs-node-gpu', ['tfjs-node-gpu']],
    [['tfjs-node', 'wasm', 'cpu'], 'tfjs-node', ['tfjs-node-gpu', 'tfjs-node']],
    [['wasm', 'cpu'], 'wasm', ['tfjs-node-gpu', 'tfjs-node', 'wasm']],
    [['cpu'], 'cpu', ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']],
  ];
  for (const [available, chosen, tried] of cases) {
    const fake = fakeLoaders(available);
    assert.equal((await pickEngine('auto', fake.loaders)).name, chosen);
    assert.deepEqual(fake.tried, tried);
  }
});

test('a forced engine that is missing is refused with how to install it, never replaced by another', async () => {
  const fake = fakeLoaders(['wasm', 'cpu']);
  await assert.rejects(pickEngine('tfjs-node-gpu', fake.loaders), (error: Error) =>
    error instanceof EngineError && /engine "tfjs-node-gpu" is not installed/.test(error.message) && error.message.includes('npm install @tensorflow/tfjs-node-gpu') && /CUDA and cuDNN/.test(error.message));
  await assert.rejects(pickEngine('tfjs-node', fake.loaders), /engine "tfjs-node" is not installed: run `npm install @tensorflow\/tfjs-node`/);
  assert.deepEqual(fake.tried, ['tfjs-node-gpu', 'tfjs-node']);
  assert.equal((await pickEngine('wasm', fake.loaders)).name, 'wasm');
});

test('the engine line says which device tfjs-node-gpu trains on, or that it fell back to the CPU', () => {
  assert.match(gpuDetail(['NVIDIA A100-SXM4-40GB', 'NVIDIA A100-SXM4-40GB']), /tfjs-node-gpu .* on GPU: NVIDIA A100-SXM4-40GB, NVIDIA A100-SXM4-40GB/);
  assert.match(gpuDetail([]), /on the CPU — no GPU visible/);
});
