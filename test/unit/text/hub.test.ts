import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadBertBase } from '../../../src/engine/text/bertBase';
import { hubModelId, resolveCheckpointFolder, type HubProgress } from '../../../src/engine/text/hub';
import { tempDir, writeTinyCheckpoint } from './fixtures';

const routes = new Map<string, { body: Buffer; headers?: Record<string, string> }>();
const requests: string[] = [];
let server: http.Server;
let endpoint: string;

before(async () => {
  await tf.setBackend('cpu');
  const checkpoint = await writeTinyCheckpoint({ seed: 21 });
  for (const file of readdirSync(checkpoint)) {
    const body = readFileSync(join(checkpoint, file));
    // The hub names an LFS file's sha256 in its ETag; small git files get a short one.
    const etag = file.endsWith('.safetensors') ? createHash('sha256').update(body).digest('hex') : 'abc123';
    routes.set(`/org/tiny-bert/resolve/main/${file}`, { body, headers: { etag: `"${etag}"` } });
  }
  const weights = routes.get('/org/tiny-bert/resolve/main/model.safetensors')!;
  routes.set('/org/corrupt/resolve/main/config.json', routes.get('/org/tiny-bert/resolve/main/config.json')!);
  routes.set('/org/corrupt/resolve/main/model.safetensors', { body: Buffer.concat([weights.body.subarray(0, -4), Buffer.alloc(4)]), headers: weights.headers });
  routes.set('/org/bin-only/resolve/main/config.json', routes.get('/org/tiny-bert/resolve/main/config.json')!);
  server = http.createServer((request, response) => {
    requests.push(request.url!);
    const route = routes.get(request.url!);
    if (!route) return void response.writeHead(404).end('Entry not found');
    response.writeHead(200, { 'content-length': String(route.body.length), ...route.headers }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

test('model ids are recognised; paths that try to climb out are not ids', () => {
  assert.equal(hubModelId('google/bert_uncased_L-2_H-128_A-2'), 'google/bert_uncased_L-2_H-128_A-2');
  assert.equal(hubModelId('hf:bert-base-uncased'), 'bert-base-uncased');
  assert.equal(hubModelId('../etc/passwd'), undefined);
  assert.equal(hubModelId('a/b/c'), undefined);
});

test('downloads config, weights and tokenizer once with progress, checks the hub\'s sha256, then loads offline from the cache', async () => {
  const cacheDir = tempDir('hub-cache');
  const progress: HubProgress[] = [];
  const base = await loadBertBase('org/tiny-bert', { cacheDir, endpoint, onProgress: (p) => progress.push(p) });
  base.model.dispose();
  const last = progress.filter((p) => p.file === 'model.safetensors').at(-1)!;
  assert.equal(last.loaded, last.total);
  assert.equal(last.total, routes.get('/org/tiny-bert/resolve/main/model.safetensors')!.body.length);
  assert.ok(requests.includes('/org/tiny-bert/resolve/main/tokenizer.json'), 'optional tokenizer files are tried (404 is fine)');
  const count = requests.length;
  const again = await resolveCheckpointFolder('org/tiny-bert', { cacheDir, endpoint });
  assert.equal(requests.length, count, 'a cached checkpoint makes no request');
  assert.match(again.origin, /cached/);
});

test('a download whose bytes do not match the hub\'s sha256 is refused and leaves no file behind', async () => {
  const cacheDir = tempDir('hub-cache');
  await assert.rejects(resolveCheckpointFolder('org/corrupt', { cacheDir, endpoint }), /model\.safetensors: sha256 does not match/);
  const folder = join(cacheDir, 'hub', 'org', 'corrupt', 'main');
  assert.deepEqual(readdirSync(folder), ['config.json']);
});

test('a model without model.safetensors says why .bin is not loaded and what to do', async () => {
  await assert.rejects(resolveCheckpointFolder('org/bin-only', { cacheDir: tempDir('hub-cache'), endpoint }), (error: Error) => {
    assert.match(error.message, /org\/bin-only\/resolve\/main\/model\.safetensors: HTTP 404/);
    assert.match(error.message, /PyTorch \.bin files are not loaded/);
    assert.match(error.message, /base\.revision/);
    return true;
  });
});

test('offline: the error names the URL and says how to proceed without the network', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  await assert.rejects(resolveCheckpointFolder('google/bert_uncased_L-2_H-128_A-2', { cacheDir: tempDir('hub-cache'), endpoint: `http://127.0.0.1:${port}` }), (error: Error) => {
    assert.match(error.message, new RegExp(`http://127\\.0\\.0\\.1:${port}/google/bert_uncased_L-2_H-128_A-2/resolve/main/config\\.json: download failed \\(ECONNREFUSED\\)`));
    assert.match(error.message, /Connect to the internet and retry, or download config\.json, model\.safetensors and tokenizer\.json/);
    return true;
  });
});

test('a revision of dots cannot move the cache folder up to another model\'s', async () => {
  const cacheDir = tempDir('hub-cache-dots');
  for (const revision of ['..', '.']) {
    await assert.rejects(resolveCheckpointFolder('org/tiny-bert', { cacheDir, endpoint, revision }), /HTTP 404/);
  }
  assert.deepEqual(readdirSync(join(cacheDir, 'hub', 'org', 'tiny-bert')).sort(), ['_', '__']);
});
