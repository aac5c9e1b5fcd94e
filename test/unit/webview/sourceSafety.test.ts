// Guards on the webview sources themselves: data never reaches an HTML parser, the VS Code API is acquired once,
// panels keep no hidden context, command URIs stay off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '../../..');
const sources = (dir: string): string[] => readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
  const path = join(dir, entry.name);
  return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : [];
});
const webview = sources('webview');
const extension = sources('src/extension/webviews');

test('no webview code parses strings as HTML or code', () => {
  const forbidden = /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(|createContextualFragment|\.srcdoc\s*=/;
  for (const file of webview) assert.ok(!forbidden.test(readFileSync(join(ROOT, file), 'utf8')), `${file} builds DOM from a string`);
  assert.ok(webview.length > 10, 'found the webview sources');
});

test('acquireVsCodeApi is called in exactly one place', () => {
  const calls = webview.filter((file) => /acquireVsCodeApi\(\)/.test(readFileSync(join(ROOT, file), 'utf8')));
  assert.deepEqual(calls.map((f) => relative('webview', f)), ['common/vscodeApi.ts']);
});

test('extension side: no retainContextWhenHidden, command URIs off, every webview message parsed', () => {
  for (const file of extension) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    assert.ok(!/retainContextWhenHidden\s*:\s*true/.test(text), `${file} keeps hidden webviews alive`);
    assert.ok(!/enableCommandUris\s*:\s*true/.test(text), `${file} enables command URIs`);
    if (/onDidReceiveMessage/.test(text)) assert.match(text, /parse\(inbound, raw/, `${file} handles raw messages`);
  }
});
