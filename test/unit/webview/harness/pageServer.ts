// Serves webview bundles inside the real HTML shell (same CSP, same nonce rule) with a fake acquireVsCodeApi, so a
// headless browser sees what VS Code shows. Files outside dist/webview and the allowed image roots are refused.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createNonce, webviewHtml } from '../../../../src/extension/webviews/html';
import { THEMES, type ThemeName } from './themes';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.map': 'application/json' };

export interface PageServer { origin: string; url(bundle: string, theme: ThemeName, state?: unknown): string; imageUri(path: string): string; close(): Promise<void> }

export async function startPageServer(distDir: string, imageRoots: string[]): Promise<PageServer> {
  const states = new Map<string, unknown>();
  const inside = (file: string) => imageRoots.some((root) => { const rel = relative(root, file); return rel && !rel.startsWith('..') && !isAbsolute(rel); });
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    try {
      if (url.pathname.startsWith('/page/')) {
        const [, , bundle, theme] = url.pathname.split('/');
        res.writeHead(200, { 'content-type': 'text/html' }).end(page(origin, bundle, theme as ThemeName, states.get(url.searchParams.get('state') ?? '')));
      } else if (url.pathname.startsWith('/dist/webview/')) {
        const file = join(distDir, url.pathname.slice('/dist/webview/'.length).replace(/\.\.+/g, ''));
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(await readFile(file));
      } else if (url.pathname.startsWith('/file/') && inside(resolve(decodeURIComponent(url.pathname.slice('/file'.length))))) {
        const file = resolve(decodeURIComponent(url.pathname.slice('/file'.length)));
        res.writeHead(200, { 'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' }).end(await readFile(file));
      } else if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end(); // Chromium asks every page for one (a webview iframe never does); a 404 would log an error
      } else {
        res.writeHead(404).end();
      }
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (bundle, theme, state) => {
      const key = state === undefined ? '' : String(states.size + 1);
      if (key) states.set(key, state);
      return `${origin}/page/${bundle}/${theme}?state=${key}`;
    },
    imageUri: (path) => `${origin}/file${encodeURI(resolve(path))}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

function page(origin: string, bundle: string, theme: ThemeName, state: unknown): string {
  const nonce = createNonce();
  const html = webviewHtml({
    cspSource: origin, nonce, title: bundle, allowImages: bundle === 'dashboard' || bundle === 'dataHealth', // the bundles given image roots (loadBundle's extraRoots)
    scriptUri: `${origin}/dist/webview/${bundle}.js`, styleUri: `${origin}/dist/webview/${bundle}.css`,
  });
  const { bodyClass, vars } = THEMES[theme];
  // What VS Code's webview host does before the page's own script: theme variables, body class, the API object.
  // The saved state is escaped: names in it may hold a closing script tag.
  const fake = `<script nonce="${nonce}">(() => {
  const vars = ${JSON.stringify(vars)};
  for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
  document.body.classList.add(${JSON.stringify(bodyClass)});
  window.__posted = []; window.__violations = []; window.__errors = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.addEventListener('error', (e) => window.__errors.push(String(e.message)));
  let state = ${JSON.stringify(state ?? null).replace(/</g, '\\u003c')} ?? undefined;
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return { postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))), getState: () => state, setState: (s) => { state = s; window.__state = s; } };
  };
})();</script>\n`;
  return html.replace(`<script nonce="${nonce}" src=`, `${fake}<script nonce="${nonce}" src=`);
}
