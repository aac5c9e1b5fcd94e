import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { downloadModel } from '../../../src/engine/models/download';
import type { DownloadProgress } from '../../../src/engine/net/download';
import { ModelError } from '../../../src/engine/models/errors';
import { readLayersModelFiles, tfjsFileHandler } from '../../../src/engine/models/layersFiles';
import { loadBaseModel } from '../../../src/engine/models/load';

const routes = new Map<string, Buffer | 'hang'>();
const requests: string[] = [];
let server: http.Server;
let base: string;
let modelJson: Buffer;

before(async () => {
  await tf.setBackend('cpu');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'download-fixture-'));
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 64 }), tf.layers.dense({ units: 2 })] });
  await model.save(tfjsFileHandler(dir));
  model.dispose();
  modelJson = fs.readFileSync(path.join(dir, 'model.json'));
  const weights = fs.readFileSync(path.join(dir, 'weights.bin'));
  const withPaths = (paths: string[]) => {
    const json = JSON.parse(modelJson.toString());
    json.weightsManifest[0].paths = paths;
    return Buffer.from(JSON.stringify(json));
  };
  routes.set('/ok/model.json', modelJson).set('/ok/weights.bin', weights);
  const convDir = fs.mkdtempSync(path.join(os.tmpdir(), 'download-conv-'));
  const input = tf.input({ shape: [16, 16, 3] });
  const features = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'features' }).apply(input) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 2 }).apply(tf.layers.globalAveragePooling2d({}).apply(features)) as tf.SymbolicTensor;
  const conv = tf.model({ inputs: input, outputs: logits });
  await conv.save(tfjsFileHandler(convDir));
  conv.dispose();
  for (const file of ['model.json', 'weights.bin']) routes.set(`/conv/${file}`, fs.readFileSync(path.join(convDir, file)));
  routes.set('/slow/model.json', modelJson).set('/slow/weights.bin', 'hang');
  routes.set('/up/model.json', withPaths(['../ok/weights.bin']));
  routes.set('/encoded/model.json', withPaths(['%2e%2e/ok/weights.bin']));
  routes.set('/host/model.json', withPaths(['http://127.0.0.2/weights.bin']));
  routes.set('/tab/model.json', withPaths(['.\t./ok/weights.bin'])); // URL parsing drops the tab: a `..` in disguise
  server = http.createServer((request, response) => {
    requests.push(request.url as string);
    const body = routes.get(request.url as string);
    if (body === undefined) return void response.writeHead(404).end('not found');
    if (body === 'hang') return void response.writeHead(200, { 'content-length': '4096' }).write(Buffer.alloc(64));
    response.writeHead(200, { 'content-length': String(body.length) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

const cacheDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'download-cache-'));
const filesIn = (dir: string): string[] => fs.readdirSync(dir, { recursive: true }).map(String).sort();

test('downloads model.json and its shards with progress, then reuses the cache without any request', async () => {
  const cache = cacheDir();
  const events: DownloadProgress[] = [];
  const folder = await downloadModel(`${base}/ok/model.json`, { cacheDir: cache, onProgress: (p) => events.push(p) });
  assert.deepEqual(filesIn(folder), ['model.json', 'weights.bin']);
  for (const file of ['model.json', 'weights.bin']) {
    const last = events.filter((e) => e.file === file).at(-1);
    assert.ok(last && last.loaded === last.total && last.loaded === fs.statSync(path.join(folder, file)).size, file);
  }
  const artifacts = await readLayersModelFiles(path.join(folder, 'model.json'));
  assert.equal(artifacts.weightData.byteLength, (8 * 64 + 64 + 64 * 2 + 2) * 4);
  const count = requests.length;
  assert.equal(await downloadModel(`${base}/ok/model.json`, { cacheDir: cache }), folder);
  assert.equal(requests.length, count, 'cache hit makes no request');
});

test('a matching sha256 is accepted; a mismatch is named and leaves nothing behind', async () => {
  const sha256 = createHash('sha256').update(modelJson).digest('hex');
  const cache = cacheDir();
  await downloadModel(`${base}/ok/model.json`, { cacheDir: cache, sha256 });
  const wrong = '0'.repeat(64);
  const badCache = cacheDir();
  await assert.rejects(downloadModel(`${base}/ok/model.json`, { cacheDir: badCache, sha256: wrong }), (error: ModelError) => {
    assert.equal(error.path, `${base}/ok/model.json`);
    assert.match(error.message, new RegExp(`expected ${wrong}, got ${sha256}`));
    return true;
  });
  const [folder] = fs.readdirSync(badCache);
  assert.deepEqual(filesIn(path.join(badCache, folder)), []);
});

test('HTTP errors name the URL and the status', async () => {
  await assert.rejects(downloadModel(`${base}/missing/model.json`, { cacheDir: cacheDir() }), (error: ModelError) => {
    assert.equal(error.path, `${base}/missing/model.json`);
    assert.match(error.message, /HTTP 404/);
    return true;
  });
});

test('aborting mid-download stops it; only the shard\'s resumable .partial and the pending manifest stay, no model.json', async () => {
  const cache = cacheDir();
  const controller = new AbortController();
  const onProgress = (p: DownloadProgress) => p.file === 'weights.bin' && controller.abort();
  await assert.rejects(downloadModel(`${base}/slow/model.json`, { cacheDir: cache, onProgress, signal: controller.signal }), { name: 'AbortError' });
  const [folder] = fs.readdirSync(cache);
  assert.deepEqual(filesIn(path.join(cache, folder)), ['.model.json', 'weights.bin.partial']);
});

test('shard paths leaving the model folder or host are refused before they are requested', async () => {
  for (const name of ['up', 'encoded', 'host', 'tab']) {
    const count = requests.length;
    await assert.rejects(downloadModel(`${base}/${name}/model.json`, { cacheDir: cacheDir() }), ModelError, name);
    assert.deepEqual(requests.slice(count), [`/${name}/model.json`], name);
  }
});

test('a base model named by URL downloads once, is cut at its feature map and then loads from the cache', async () => {
  const cache = cacheDir();
  const first = await loadBaseModel(`${base}/conv/model.json`, { cacheDir: cache });
  assert.equal(first.info.source, 'url');
  assert.equal(first.info.cutLayer, 'features');
  assert.deepEqual(first.model.outputs[0].shape, [null, 14, 14, 4]);
  const count = requests.length;
  const second = await loadBaseModel(`${base}/conv/model.json`, { cacheDir: cache });
  assert.equal(requests.length, count, 'the second load is served from the cache');
  assert.equal(second.info.fingerprint, first.info.fingerprint);
  first.model.dispose();
  second.model.dispose();
});
