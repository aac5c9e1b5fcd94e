// The best base first: ImageNet MobileNetV2 when its weights are cached or reachable, else the shipped one with its cost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chooseDefaultBase, imagenetWeightsUrl } from '../../../src/engine/models/defaultBase';
import { cachedFilePath } from '../../../src/engine/models/cachedFile';

const cacheDir = () => mkdtempSync(path.join(os.tmpdir(), 'default-base-'));

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mobilenet_v2_no_top.h5`, server };
}

test('weights the server answers for: ImageNet MobileNetV2 first', { timeout: 60_000 }, async () => {
  const { url, server } = await serve((req, res) => res.writeHead(req.method === 'HEAD' ? 200 : 405).end());
  const choice = await chooseDefaultBase({ cacheDir: cacheDir(), url, timeoutMs: 30_000 }); // a loaded machine may answer slowly
  server.close();
  assert.equal(choice.base, 'mobilenet_v2');
  assert.match(choice.note, /downloaded on first use/);
});

test('a server that never answers: the shipped base after the timeout, with what it costs', { timeout: 10_000 }, async () => {
  const { url, server } = await serve(() => undefined); // accepts, never responds
  const choice = await chooseDefaultBase({ cacheDir: cacheDir(), url, timeoutMs: 300 });
  server.closeAllConnections();
  server.close();
  assert.equal(choice.base, 'nsfwjs_mobilenet_v2');
  assert.match(choice.note, /weaker \(0\.77 vs 0\.95/);
});

test('nothing listening on the address: the shipped base', { timeout: 10_000 }, async () => {
  const { url, server } = await serve(() => undefined);
  await new Promise((resolve) => server.close(resolve)); // the port is closed again: connections are refused
  assert.equal((await chooseDefaultBase({ cacheDir: cacheDir(), url })).base, 'nsfwjs_mobilenet_v2');
});

test('weights already in the cache: ImageNet MobileNetV2 without asking the network', { timeout: 10_000 }, async () => {
  const dir = cacheDir();
  const url = 'http://127.0.0.1:9/never-asked.h5';
  mkdirSync(path.dirname(cachedFilePath(url, dir)), { recursive: true });
  writeFileSync(cachedFilePath(url, dir), 'weights');
  const choice = await chooseDefaultBase({ cacheDir: dir, url, timeoutMs: 1 });
  assert.deepEqual([choice.base, /cached/.test(choice.note)], ['mobilenet_v2', true]);
});

test('the URL checked is the catalog file a default run downloads', () => {
  assert.match(imagenetWeightsUrl(), /mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1\.0_224_no_top\.h5$/);
});
