// The webview shell is locked down: CSP starts with default-src 'none', one random nonce, no inline or eval, no
// command URIs, files only from the bundle folder (and dataset folders when a gallery needs them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, createNonce, escapeHtml, webviewHtml, webviewOptions } from '../../../src/extension/webviews/html';

const parts = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/dist/webview/layers.js', styleUri: 'https://x/dist/webview/layers.css', title: 'Layers', allowImages: false };

test('nonces: 128 random bits, base64, never repeated', () => {
  const nonces = new Set(Array.from({ length: 1000 }, createNonce));
  assert.equal(nonces.size, 1000);
  for (const n of [...nonces].slice(0, 5)) assert.equal(Buffer.from(n, 'base64').length, 16);
});

test('CSP: default-src none first, scripts only by nonce, styles/fonts/images only from the webview origin', () => {
  const nonce = createNonce();
  const csp = contentSecurityPolicy({ ...parts, nonce });
  const directives = csp.split('; ');
  assert.equal(directives[0], "default-src 'none'");
  assert.ok(directives.includes(`script-src 'nonce-${nonce}'`));
  assert.ok(directives.includes(`style-src ${parts.cspSource}`), 'styles only from the webview origin: lit needs no nonce');
  assert.ok(directives.includes("img-src 'none'"));
  assert.ok(contentSecurityPolicy({ ...parts, nonce, allowImages: true }).includes(`img-src ${parts.cspSource}`));
  assert.ok(!/unsafe-(inline|eval)|\bdata:|\bhttps?:\s|\*/.test(csp), csp);
  assert.ok(directives.includes("base-uri 'none'") && directives.includes("form-action 'none'"));
});

test('HTML: the CSP meta comes first, every script carries the nonce, nothing inline', () => {
  const nonce = createNonce();
  const html = webviewHtml({ ...parts, nonce });
  assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<script'));
  const scripts = html.match(/<script[^>]*>/g) ?? [];
  assert.equal(scripts.length, 1);
  assert.ok(scripts[0].includes(`nonce="${nonce}"`) && scripts[0].includes(`src="${parts.scriptUri}"`));
  assert.ok(!/<script[^>]*>[^<]+<\/script>/.test(html), 'no inline script body');
  assert.ok(!/\son[a-z]+=/i.test(html), 'no inline event handler');
  assert.ok(!/style="/.test(html), 'no inline style attribute');
});

test('titles and URIs are escaped', () => {
  const html = webviewHtml({ ...parts, nonce: 'n', title: '"><img src=x onerror=alert(1)>' });
  assert.ok(!html.includes('<img'));
  assert.ok(html.includes('&#34;&#62;&#60;img src=x onerror=alert(1)&#62;'));
  assert.equal(escapeHtml(`<a href='x'>&</a>`), '&#60;a href=&#39;x&#39;&#62;&#38;&#60;/a&#62;');
});

test('webview options: scripts on, command URIs off, roots = bundle folder (+ dataset folders)', () => {
  assert.deepEqual(webviewOptions('bundle'), { enableScripts: true, enableCommandUris: false, localResourceRoots: ['bundle'] });
  assert.deepEqual(webviewOptions('bundle', ['/data/flowers']).localResourceRoots, ['bundle', '/data/flowers']);
});
