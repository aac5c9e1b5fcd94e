import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { chooseDefaultBase, IMAGENET_BASE, OFFLINE_BASE } from '../../../src/engine/models/defaultBase';
import { downloadFile } from '../../../src/engine/models/fileDownload';
import { answersHead } from '../../../src/engine/net/download';
import { PROXY_AUTHORIZATION_ENV, STRICT_SSL_ENV } from '../../../src/shared/proxyEnv';
import { listen, selfSigned, startTunnelProxy, type TunnelProxy } from './fixtures/tunnelProxy';

// The origin is reachable only under a host name that does not resolve (.invalid): only the proxy knows where it is.
const HIDDEN = 'weights.proxy-only.invalid';
const payload = randomBytes(64 * 1024);
let origin: http.Server;
let tlsOrigin: https.Server;
let proxy: TunnelProxy;
let originPort: number;
let tlsPort: number;
const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', STRICT_SSL_ENV, PROXY_AUTHORIZATION_ENV];

before(async () => {
  const send = (_: http.IncomingMessage, response: http.ServerResponse) => void response.writeHead(200, { 'content-length': String(payload.length) }).end(payload);
  origin = http.createServer(send);
  originPort = await listen(origin);
  // A self-signed certificate for the hidden name, as a company proxy that re-signs TLS would present.
  tlsOrigin = https.createServer(selfSigned, send);
  tlsPort = await listen(tlsOrigin);
  proxy = await startTunnelProxy((host, port) => ({ host: host === HIDDEN ? '127.0.0.1' : host, port }));
});

afterEach(() => {
  for (const name of PROXY_VARS) delete process.env[name];
});

after(() => {
  for (const server of [origin, tlsOrigin, proxy.server]) {
    server.closeAllConnections();
    server.close();
  }
});

const cacheDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'proxy-download-'));

test('without a proxy the hidden host cannot be reached: the error names it', async () => {
  await assert.rejects(downloadFile(`http://${HIDDEN}:${originPort}/weights.h5`, { cacheDir: cacheDir() }), /download failed \((ENOTFOUND|EAI_AGAIN)\)/);
});

test('HTTP_PROXY / http_proxy: http downloads go through the proxy, which is the only way to the host', async () => {
  for (const name of ['HTTP_PROXY', 'http_proxy']) {
    process.env[name] = proxy.url;
    const count = proxy.tunnels.length;
    const file = await downloadFile(`http://${HIDDEN}:${originPort}/weights-${name}.h5`, { cacheDir: cacheDir() });
    assert.deepEqual(fs.readFileSync(file), payload);
    assert.ok(proxy.tunnels.slice(count).includes(`${HIDDEN}:${originPort}`), `${name}: the proxy carried the request`);
    delete process.env[name];
  }
});

test('NO_PROXY hosts are fetched directly, bypassing a proxy that would fail', async () => {
  const dead = http.createServer();
  const deadPort = await listen(dead);
  await new Promise((resolve) => dead.close(resolve));
  process.env.HTTP_PROXY = `http://127.0.0.1:${deadPort}`;
  await assert.rejects(downloadFile(`http://127.0.0.1:${originPort}/via-dead-proxy.h5`, { cacheDir: cacheDir() }), /download failed/);
  process.env.NO_PROXY = '127.0.0.1';
  const file = await downloadFile(`http://127.0.0.1:${originPort}/direct.h5`, { cacheDir: cacheDir() });
  assert.deepEqual(fs.readFileSync(file), payload);
});

test('HTTPS_PROXY tunnels https downloads; a certificate the system does not trust fails unless http.proxyStrictSSL is off', async () => {
  process.env.HTTPS_PROXY = proxy.url;
  const url = `https://${HIDDEN}:${tlsPort}/weights.h5`;
  const count = proxy.tunnels.length;
  await assert.rejects(downloadFile(url, { cacheDir: cacheDir() }), /download failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)/);
  assert.ok(proxy.tunnels.slice(count).includes(`${HIDDEN}:${tlsPort}`), 'the tunnel went through the proxy');
  process.env[STRICT_SSL_ENV] = 'false';
  const file = await downloadFile(url, { cacheDir: cacheDir() });
  assert.deepEqual(fs.readFileSync(file), payload);
});

test('the CLI\'s default-base check asks through the proxy too: ImageNet weights reachable only via HTTP_PROXY count as reachable', async () => {
  const url = `http://${HIDDEN}:${originPort}/mobilenet_v2_weights.h5`;
  assert.equal((await chooseDefaultBase({ cacheDir: cacheDir(), url, timeoutMs: 30_000, reachable: answersHead })).base, OFFLINE_BASE, 'no proxy: offline base');
  process.env.HTTP_PROXY = proxy.url;
  assert.equal((await chooseDefaultBase({ cacheDir: cacheDir(), url, timeoutMs: 30_000, reachable: answersHead })).base, IMAGENET_BASE);
});

test('http.proxyAuthorization: a proxy that asks for credentials gets them as Proxy-Authorization, and refuses without', async () => {
  const credentials = `Basic ${Buffer.from('ada:s3cret').toString('base64')}`;
  const guarded = await startTunnelProxy((host, port) => ({ host: host === HIDDEN ? '127.0.0.1' : host, port }), credentials);
  try {
    process.env.HTTP_PROXY = guarded.url;
    await assert.rejects(downloadFile(`http://${HIDDEN}:${originPort}/no-credentials.h5`, { cacheDir: cacheDir() }), /download failed/);
    process.env[PROXY_AUTHORIZATION_ENV] = credentials;
    const file = await downloadFile(`http://${HIDDEN}:${originPort}/with-credentials.h5`, { cacheDir: cacheDir() });
    assert.deepEqual(fs.readFileSync(file), payload);
    assert.equal(guarded.authorizations.at(-1), credentials, 'the header reached the proxy');
  } finally {
    guarded.server.closeAllConnections();
    guarded.server.close();
  }
});
