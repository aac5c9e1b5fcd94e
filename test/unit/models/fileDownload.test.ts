import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { DownloadProgress } from '../../../src/engine/net/download';
import { ModelError } from '../../../src/engine/models/errors';
import { cachedFilePath } from '../../../src/engine/models/cachedFile';
import { downloadFile } from '../../../src/engine/models/fileDownload';

const payload = randomBytes(256 * 1024);
const md5 = createHash('md5').update(payload).digest('hex');
const sha256 = createHash('sha256').update(payload).digest('hex');
const requests: { url: string; range?: string }[] = [];
const hits = new Map<string, number>();
let server: http.Server;
let breakAt: { response: http.ServerResponse; loaded: number } | undefined;

/** Breaks the connection once the client has what was sent, so the break lands at the same byte every time. */
function dropWhenArrived(progress: DownloadProgress): void {
  if (breakAt && progress.loaded >= breakAt.loaded) {
    breakAt.response.destroy();
    breakAt = undefined;
  }
}
let base: string;

/** Routes: honours Range; ignores Range; first answer breaks off halfway, later ones honour Range; the first three
 * answers break after 64 KiB each; never finishes. */
function serve(request: http.IncomingMessage, response: http.ServerResponse): void {
  const url = request.url as string;
  const range = request.headers.range;
  requests.push({ url, range });
  const hit = (hits.get(url) ?? 0) + 1;
  hits.set(url, hit);
  const start = Number(/^bytes=(\d+)-$/.exec(range ?? '')?.[1] ?? 0);
  if (url.startsWith('/hang/')) return void response.writeHead(200, { 'content-length': String(payload.length) }).write(payload.subarray(0, 1000));
  if ((url.startsWith('/flaky/') && hit === 1) || (url.startsWith('/dies/') && hit <= 3)) {
    // Part of the bytes, then the connection stays open until the client has them (see dropWhenArrived).
    breakAt = { response, loaded: url.startsWith('/flaky/') ? payload.length / 2 : start + 64 * 1024 };
    const range = start > 0 ? { 'content-range': `bytes ${start}-${payload.length - 1}/${payload.length}` } : {};
    response.writeHead(start > 0 ? 206 : 200, { 'content-length': String(payload.length - start), ...range });
    return void response.write(payload.subarray(start, breakAt.loaded));
  }
  if (start > 0 && !url.startsWith('/norange/')) {
    response.writeHead(206, { 'content-length': String(payload.length - start), 'content-range': `bytes ${start}-${payload.length - 1}/${payload.length}` });
    return void response.end(payload.subarray(start));
  }
  response.writeHead(200, { 'content-length': String(payload.length) }).end(payload);
}

before(async () => {
  server = http.createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

const cacheDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'file-download-'));

test('downloads with progress, checks Keras-style md5 and sha256 hashes, then serves the cache without a request', async () => {
  for (const fileHash of [md5, sha256]) {
    const cache = cacheDir();
    const events: DownloadProgress[] = [];
    const file = await downloadFile(`${base}/ok/weights_notop.h5`, { cacheDir: cache, fileHash, onProgress: (p) => events.push(p) });
    assert.equal(file, cachedFilePath(`${base}/ok/weights_notop.h5`, cache));
    assert.equal(path.basename(file), 'weights_notop.h5');
    assert.deepEqual(fs.readFileSync(file), payload);
    assert.deepEqual(events.at(-1), { file: 'weights_notop.h5', loaded: payload.length, total: payload.length });
    const count = requests.length;
    assert.equal(await downloadFile(`${base}/ok/weights_notop.h5`, { cacheDir: cache, fileHash }), file);
    assert.equal(requests.length, count, 'cache hit makes no request');
  }
});

test('a connection that breaks halfway is resumed with an HTTP Range request, in the same download', async () => {
  const cache = cacheDir();
  const url = `${base}/flaky/weights.h5`;
  const events: DownloadProgress[] = [];
  const file = await downloadFile(url, { cacheDir: cache, fileHash: md5, onProgress: (p) => {
    events.push(p);
    dropWhenArrived(p);
  } });
  const tries = requests.filter((r) => r.url === '/flaky/weights.h5');
  assert.deepEqual(tries.map((r) => r.range), [undefined, `bytes=${payload.length / 2}-`]);
  assert.equal(events.filter((e) => e.loaded === payload.length / 2).length, 2, 'progress goes on from where the break left it');
  assert.deepEqual(fs.readFileSync(file), payload);
  assert.equal(fs.existsSync(`${file}.partial`), false);
});

test('a download that keeps breaking fails but keeps its partial file, and the next try resumes it', async () => {
  const cache = cacheDir();
  const url = `${base}/dies/weights.h5`;
  await assert.rejects(downloadFile(url, { cacheDir: cache, fileHash: sha256, onProgress: dropWhenArrived }), /the connection broke after 196608 of 262144 bytes/);
  const partial = `${cachedFilePath(url, cache)}.partial`;
  const kept = fs.statSync(partial).size;
  assert.equal(kept, 3 * 64 * 1024, 'three attempts, each resumed where the last stopped');
  const file = await downloadFile(url, { cacheDir: cache, fileHash: sha256 });
  assert.equal(requests.filter((r) => r.url === '/dies/weights.h5').at(-1)?.range, `bytes=${kept}-`);
  assert.deepEqual(fs.readFileSync(file), payload);
});

test('a server that ignores Range gets a clean restart', async () => {
  const cache = cacheDir();
  const url = `${base}/norange/weights.h5`;
  fs.mkdirSync(path.dirname(cachedFilePath(url, cache)), { recursive: true });
  fs.writeFileSync(`${cachedFilePath(url, cache)}.partial`, payload.subarray(0, 5000));
  const file = await downloadFile(url, { cacheDir: cache, fileHash: sha256 });
  assert.equal(requests.at(-1)?.range, 'bytes=5000-');
  assert.deepEqual(fs.readFileSync(file), payload);
});

test('cancel stops the download and leaves only a resumable part', async () => {
  const cache = cacheDir();
  const url = `${base}/hang/weights.h5`;
  const controller = new AbortController();
  const events: DownloadProgress[] = [];
  const download = downloadFile(url, { cacheDir: cache, signal: controller.signal, onProgress: (p) => {
    events.push(p);
    if (p.loaded > 0) controller.abort();
  } });
  await assert.rejects(download, (error: Error) => error.name === 'AbortError');
  assert.equal(fs.existsSync(cachedFilePath(url, cache)), false);
  assert.ok(fs.existsSync(`${cachedFilePath(url, cache)}.partial`));
});

test('a hash mismatch deletes the bad copy and says which hash was expected', async () => {
  const cache = cacheDir();
  const url = `${base}/ok/other.h5`;
  await assert.rejects(downloadFile(url, { cacheDir: cache, fileHash: '0'.repeat(32) }), (error: ModelError) =>
    error instanceof ModelError && error.message.includes(`md5 mismatch: expected ${'0'.repeat(32)}, got ${md5}`) && error.path === url);
  assert.deepEqual(fs.readdirSync(path.dirname(cachedFilePath(url, cache))), []);
});
