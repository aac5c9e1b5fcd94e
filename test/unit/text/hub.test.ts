import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { DownloadProgress } from '../../../src/engine/net/download';
import { loadBertBase } from '../../../src/engine/text/bertBase';
import { hubModelId, resolveCheckpointFolder } from '../../../src/engine/text/hub';
import { tempDir, writeTinyCheckpoint } from './fixtures';

/** A stand-in for huggingface.co: HEAD/GET on /<repo>/resolve/main/<file>; large files redirect to a CDN path that honours Range. */
interface Repo {
  files: Record<string, Buffer>;
  /** What the CDN sends instead of the real bytes (a corrupted copy). */
  sent?: Record<string, Buffer>;
  gated?: boolean;
  /** The CDN's first answer breaks off halfway. */
  flaky?: boolean;
}
const COMMIT = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';
const TOKEN = 'hf_test_token';
const repos = new Map<string, Repo>();
const requests: { method: string; url: string; range?: string; authorization?: string }[] = [];
let server: http.Server;
let endpoint: string;
let checkpoint: Record<string, Buffer>;
let halfSent: { response: http.ServerResponse; half: number } | undefined;

/** Drops the flaky connection once the client has received its first half, so the break lands mid-file every time. */
function dropWhenHalfArrived(progress: DownloadProgress): void {
  if (halfSent && progress.loaded >= halfSent.half) {
    halfSent.response.destroy();
    halfSent = undefined;
  }
}
const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');
const gitOid = (body: Buffer) => createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');

function serve(request: http.IncomingMessage, response: http.ServerResponse): void {
  const url = request.url!;
  requests.push({ method: request.method!, url, range: request.headers.range, authorization: request.headers.authorization });
  const cdn = /^\/cdn\/(.+)\/([^/]+)$/.exec(url);
  if (cdn) {
    const repo = repos.get(cdn[1])!;
    const body = repo.sent?.[cdn[2]] ?? repo.files[cdn[2]];
    const start = Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? '')?.[1] ?? 0);
    if (repo.flaky && requests.filter((r) => r.url === url).length === 1) {
      // Half the bytes, then the connection stays open until the client has them (see dropWhenHalfArrived).
      halfSent = { response, half: Math.floor(body.length / 2) };
      return void response.writeHead(200, { 'content-length': String(body.length) }).write(body.subarray(0, halfSent.half));
    }
    const range = start > 0 ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {};
    return void response.writeHead(start > 0 ? 206 : 200, { 'content-length': String(body.length - start), ...range }).end(body.subarray(start));
  }
  const match = /^\/(.+)\/resolve\/main\/([^/]+)$/.exec(url);
  const repo = match && repos.get(match[1]);
  if (repo?.gated && request.headers.authorization !== `Bearer ${TOKEN}`) return void response.writeHead(401).end('Access to model is restricted');
  const body = match && repo?.files[match[2]];
  if (!match || !body) return void response.writeHead(404).end('Entry not found');
  const headers = { 'x-repo-commit': COMMIT };
  if (match[2].endsWith('.safetensors')) {
    return void response.writeHead(302, { ...headers, location: `/cdn/${match[1]}/${match[2]}`, 'x-linked-etag': `"${sha256(body)}"`, 'x-linked-size': String(body.length) }).end();
  }
  response.writeHead(200, { ...headers, etag: `"${gitOid(body)}"`, 'content-length': String(body.length) });
  response.end(request.method === 'HEAD' ? undefined : body);
}

before(async () => {
  await tf.setBackend('cpu');
  const folder = await writeTinyCheckpoint({ seed: 21 });
  checkpoint = Object.fromEntries(readdirSync(folder).map((file) => [file, readFileSync(join(folder, file))]));
  const weights = checkpoint['model.safetensors'];
  repos.set('org/tiny-bert', { files: checkpoint });
  repos.set('org/corrupt', { files: checkpoint, sent: { 'model.safetensors': Buffer.concat([weights.subarray(0, -4), Buffer.alloc(4)]) } });
  repos.set('org/bin-only', { files: { 'config.json': checkpoint['config.json'] } });
  repos.set('org/gated', { files: checkpoint, gated: true });
  repos.set('org/flaky', { files: checkpoint, flaky: true });
  server = http.createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.HF_TOKEN_PATH = join(tempDir('no-token'), 'token'); // a token saved on this machine must not leak in
});

after(() => {
  server.closeAllConnections();
  server.close();
  delete process.env.HF_TOKEN_PATH;
});

const repoDir = (hubCache: string, id: string) => join(hubCache, `models--${id.replace('/', '--')}`);

test('model ids are recognised; paths that try to climb out are not ids', () => {
  assert.equal(hubModelId('google/bert_uncased_L-2_H-128_A-2'), 'google/bert_uncased_L-2_H-128_A-2');
  assert.equal(hubModelId('hf:bert-base-uncased'), 'bert-base-uncased');
  assert.equal(hubModelId('../etc/passwd'), undefined);
  assert.equal(hubModelId('a/b/c'), undefined);
});

test('downloads into the Hugging Face cache layout once, with progress and the hub\'s sha256, then loads offline from it', async () => {
  const hubCache = tempDir('hf-hub');
  const progress: DownloadProgress[] = [];
  const base = await loadBertBase('org/tiny-bert', { cacheDir: tempDir('cache'), hubCache, endpoint, onProgress: (p) => progress.push(p) });
  base.model.dispose();
  const last = progress.filter((p) => p.file === 'model.safetensors').at(-1)!;
  assert.equal(last.loaded, last.total);
  assert.equal(last.total, checkpoint['model.safetensors'].length);
  const repo = repoDir(hubCache, 'org/tiny-bert');
  assert.equal(readFileSync(join(repo, 'refs', 'main'), 'utf8'), COMMIT);
  const snapshot = join(repo, 'snapshots', COMMIT);
  assert.deepEqual(readdirSync(snapshot).sort(), ['config.json', 'model.safetensors', 'vocab.txt']);
  assert.equal(readlinkSync(join(snapshot, 'model.safetensors')), join('..', '..', 'blobs', sha256(checkpoint['model.safetensors'])));
  assert.equal(readlinkSync(join(snapshot, 'config.json')), join('..', '..', 'blobs', gitOid(checkpoint['config.json'])));
  assert.deepEqual(readdirSync(join(repo, '.no_exist', COMMIT)).sort(), ['tokenizer.json', 'tokenizer_config.json'], 'files the revision lacks are recorded as huggingface_hub does');
  const count = requests.length;
  const again = await resolveCheckpointFolder('org/tiny-bert', { cacheDir: tempDir('cache'), hubCache, endpoint });
  assert.equal(requests.length, count, 'a cached checkpoint makes no request');
  assert.equal(again.folder, snapshot);
  assert.match(again.origin, /cached/);
});

test('a model Python already put in the HF cache ($HF_HUB_CACHE) is used without any request', async () => {
  const hubCache = tempDir('hf-hub-python');
  const repo = repoDir(hubCache, 'org/from-python');
  mkdirSync(join(repo, 'blobs'), { recursive: true });
  mkdirSync(join(repo, 'snapshots', COMMIT), { recursive: true });
  mkdirSync(join(repo, 'refs'));
  for (const [file, body] of Object.entries(checkpoint)) {
    const blob = file.endsWith('.safetensors') ? sha256(body) : gitOid(body);
    writeFileSync(join(repo, 'blobs', blob), body);
    symlinkSync(join('..', '..', 'blobs', blob), join(repo, 'snapshots', COMMIT, file));
  }
  writeFileSync(join(repo, 'refs', 'main'), COMMIT);
  const count = requests.length;
  process.env.HF_HUB_CACHE = hubCache;
  try {
    const base = await loadBertBase('org/from-python', { cacheDir: tempDir('cache'), endpoint });
    assert.equal(base.info.folder, join(repo, 'snapshots', COMMIT));
    assert.match(base.info.origin, /cached/);
    assert.equal(base.config.hiddenSize, 32);
    base.model.dispose();
  } finally {
    delete process.env.HF_HUB_CACHE;
  }
  assert.equal(requests.length, count, 'no request at all');
});

test('a gated model answers 401 without a token (the error says to set HF_TOKEN) and downloads with HF_TOKEN as a Bearer token', async () => {
  const hubCache = tempDir('hf-hub-gated');
  await assert.rejects(resolveCheckpointFolder('org/gated', { cacheDir: tempDir('cache'), hubCache, endpoint }), (error: Error) => {
    assert.match(error.message, /org\/gated\/resolve\/main\/config\.json: HTTP 401/);
    assert.match(error.message, /set HF_TOKEN to a Hugging Face access token/);
    return true;
  });
  process.env.HF_TOKEN = TOKEN;
  try {
    const count = requests.length;
    const { folder } = await resolveCheckpointFolder('org/gated', { cacheDir: tempDir('cache'), hubCache, endpoint });
    assert.deepEqual(readFileSync(join(folder, 'model.safetensors')), checkpoint['model.safetensors']);
    const hubRequests = requests.slice(count).filter((r) => r.url.startsWith('/org/gated/'));
    assert.ok(hubRequests.length > 0 && hubRequests.every((r) => r.authorization === `Bearer ${TOKEN}`));
  } finally {
    delete process.env.HF_TOKEN;
  }
});

test('a connection that drops halfway through model.safetensors is resumed with Range and the sha256 checks out', async () => {
  const hubCache = tempDir('hf-hub-flaky');
  const { folder } = await resolveCheckpointFolder('org/flaky', { cacheDir: tempDir('cache'), hubCache, endpoint, onProgress: dropWhenHalfArrived });
  const tries = requests.filter((r) => r.url === '/cdn/org/flaky/model.safetensors');
  assert.equal(tries.length, 2);
  assert.equal(tries[1].range, `bytes=${Math.floor(checkpoint['model.safetensors'].length / 2)}-`);
  assert.equal(sha256(readFileSync(join(folder, 'model.safetensors'))), sha256(checkpoint['model.safetensors']));
});

test('a download whose bytes do not match the hub\'s sha256 is refused and leaves no blob or snapshot behind', async () => {
  const hubCache = tempDir('hf-hub');
  await assert.rejects(resolveCheckpointFolder('org/corrupt', { cacheDir: tempDir('cache'), hubCache, endpoint }), /model\.safetensors: sha256 mismatch/);
  const repo = repoDir(hubCache, 'org/corrupt');
  assert.equal(existsSync(join(repo, 'blobs', sha256(checkpoint['model.safetensors']))), false);
  assert.equal(existsSync(join(repo, 'snapshots')), false);
  assert.equal(existsSync(join(repo, 'refs')), false);
});

test('a model without model.safetensors says why .bin is not loaded and what to do', async () => {
  await assert.rejects(resolveCheckpointFolder('org/bin-only', { cacheDir: tempDir('cache'), hubCache: tempDir('hf-hub'), endpoint }), (error: Error) => {
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
  await assert.rejects(resolveCheckpointFolder('google/bert_uncased_L-2_H-128_A-2', { cacheDir: tempDir('cache'), hubCache: tempDir('hf-hub'), endpoint: `http://127.0.0.1:${port}` }), (error: Error) => {
    assert.match(error.message, new RegExp(`http://127\\.0\\.0\\.1:${port}/google/bert_uncased_L-2_H-128_A-2/resolve/main/config\\.json: download failed \\(ECONNREFUSED\\)`));
    assert.match(error.message, /Connect to the internet and retry, or download config\.json, model\.safetensors and tokenizer\.json/);
    return true;
  });
});

test('a revision of dots is refused before any request, so it cannot move the cache folder', async () => {
  const hubCache = tempDir('hf-hub-dots');
  for (const revision of ['..', '.', 'refs/../..']) {
    const count = requests.length;
    await assert.rejects(resolveCheckpointFolder('org/tiny-bert', { cacheDir: tempDir('cache'), hubCache, endpoint, revision }), /is not a revision/);
    assert.equal(requests.length, count);
  }
  assert.deepEqual(readdirSync(hubCache), []);
});
