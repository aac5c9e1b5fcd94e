import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chooseDefaultBase, IMAGENET_BASE, OFFLINE_BASE } from '../../../src/engine/models/defaultBase';
import { downloadFile } from '../../../src/engine/models/fileDownload';
import { answersHead } from '../../../src/engine/net/download';
import { STRICT_SSL_ENV } from '../../../src/shared/proxyEnv';

// The origin is reachable only under a host name that does not resolve (.invalid): only the proxy knows where it is.
const HIDDEN = 'weights.proxy-only.invalid';
const payload = randomBytes(64 * 1024);
const proxied: string[] = [];
let origin: http.Server;
let tlsOrigin: https.Server;
let proxy: http.Server;
let originPort: number;
let tlsPort: number;
let proxyUrl: string;
const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', STRICT_SSL_ENV];

const listen = async (server: http.Server | https.Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
const realHost = (host: string) => (host === HIDDEN ? '127.0.0.1' : host);

before(async () => {
  origin = http.createServer((_, response) => void response.writeHead(200, { 'content-length': String(payload.length) }).end(payload));
  originPort = await listen(origin);
  // A self-signed certificate for the hidden name, as a company proxy that re-signs TLS would present.
  const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name));
  tlsOrigin = https.createServer({ key: fixture('selfsigned.key'), cert: fixture('selfsigned.crt') }, (_, response) => void response.writeHead(200, { 'content-length': String(payload.length) }).end(payload));
  tlsPort = await listen(tlsOrigin);
  proxy = http.createServer((request, response) => {
    // A forwarding proxy: an absolute URL in the request line.
    proxied.push(`${request.method} ${request.url}`);
    const target = new URL(request.url!);
    const upstream = http.request({ host: realHost(target.hostname), port: target.port, path: target.pathname, method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(response);
    });
    request.pipe(upstream);
  });
  proxy.on('connect', (request: http.IncomingMessage, client: net.Socket) => {
    // A tunnelling proxy: CONNECT host:port.
    proxied.push(`CONNECT ${request.url}`);
    const [host, port] = request.url!.split(':');
    const upstream = net.connect(Number(port), realHost(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
  });
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
});

afterEach(() => {
  for (const name of PROXY_VARS) delete process.env[name];
});

after(() => {
  for (const server of [origin, tlsOrigin, proxy]) {
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
    process.env[name] = proxyUrl;
    const count = proxied.length;
    const file = await downloadFile(`http://${HIDDEN}:${originPort}/weights-${name}.h5`, { cacheDir: cacheDir() });
    assert.deepEqual(fs.readFileSync(file), payload);
    assert.ok(proxied.slice(count).some((line) => line.includes(`${HIDDEN}:${originPort}`)), `${name}: the proxy carried the request`);
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
  process.env.HTTPS_PROXY = proxyUrl;
  const url = `https://${HIDDEN}:${tlsPort}/weights.h5`;
  const count = proxied.length;
  await assert.rejects(downloadFile(url, { cacheDir: cacheDir() }), /download failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)/);
  assert.ok(proxied.slice(count).includes(`CONNECT ${HIDDEN}:${tlsPort}`), 'the tunnel went through the proxy');
  process.env[STRICT_SSL_ENV] = 'false';
  const file = await downloadFile(url, { cacheDir: cacheDir() });
  assert.deepEqual(fs.readFileSync(file), payload);
});

test('the CLI\'s default-base check asks through the proxy too: ImageNet weights reachable only via HTTP_PROXY count as reachable', async () => {
  const url = `http://${HIDDEN}:${originPort}/mobilenet_v2_weights.h5`;
  assert.equal((await chooseDefaultBase({ cacheDir: cacheDir(), url, timeoutMs: 30_000, reachable: answersHead })).base, OFFLINE_BASE, 'no proxy: offline base');
  process.env.HTTP_PROXY = proxyUrl;
  assert.equal((await chooseDefaultBase({ cacheDir: cacheDir(), url, timeoutMs: 30_000, reachable: answersHead })).base, IMAGENET_BASE);
});
