// The webviews show hostile names as text: the real bundles (dist/webview) in headless Chromium, through the harness
// of test/unit/webview/harness, get run data, a layer tree and compare runs named like HTML/script injections, and
// every view that shows a name is opened. Nothing may be built or run from the data, and the CSP must stay silent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launch, WebviewPage } from '../unit/webview/harness/browser';
import { REPO } from '../unit/webview/harness/fixtures';
import { HOSTILE, HOSTILE_FILES, hostileCompareRuns, hostileLayers, hostileRun } from '../unit/webview/harness/hostileData';
import { startPageServer, type PageServer } from '../unit/webview/harness/pageServer';

const FILES = HOSTILE_FILES.map((name) => `${name}.png`);
let images: string;
let server: PageServer;
let browser: Browser;

before(async () => {
  for (const bundle of ['dashboard', 'layers', 'compare']) assert.ok(existsSync(join(REPO, `dist/webview/${bundle}.js`)), 'build the webviews first: node esbuild.mjs');
  // real image files with hostile names, so gallery pictures load through the same URIs the names end up in
  images = await mkdtemp(join(tmpdir(), 'transfer-lab-hostile-'));
  await Promise.all(FILES.map((file) => copyFile(join(REPO, 'media/icon.png'), join(images, file))));
  server = await startPageServer(join(REPO, 'dist/webview'), [images]);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (images) await rm(images, { recursive: true, force: true });
});

test('dashboard: hostile run, class and file names show as text in the header, matrix, tables and galleries', async () => {
  const view = await WebviewPage.open(browser, server.url('dashboard', 'dark'), 1200, 900);
  await view.post({ type: 'run/snapshot', snapshot: hostileRun((file) => server.imageUri(join(images, file))) });
  await view.assertShownAsText('header', '.run-header', [HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[3], HOSTILE[4]]);
  await view.assertShownAsText('confusion matrix', 'table.matrix', HOSTILE);
  await view.assertShownAsText('per-class table', 'table.per-class', HOSTILE);
  await view.assertShownAsText('mistakes gallery', '.evaluation > div:last-child', [...HOSTILE, ...FILES]);
  await view.page.locator('td.cell[data-r="0"][data-c="1"]').click();
  await view.assertShownAsText('cell gallery', '.cell-gallery', [`${HOSTILE[0]} predicted as ${HOSTILE[1]}`, FILES[1]]);
  await view.post({ type: 'run/state', state: { state: 'failed', message: HOSTILE[1] } });
  await view.assertShownAsText('failed state', '.run-header', [HOSTILE[1]]);
  await view.imagesLoaded(); // the pictures of hostile file names load (a failed one logs an error)
  await view.assertClean('dashboard');
  await view.close();
});

test('layers: hostile block, layer and class names show as text in the tree, captions, controls and plan', async () => {
  const expanded = [...new Set(hostileLayers().model.layers.map((l) => `block:${l.block}`))];
  const view = await WebviewPage.open(browser, server.url('layers', 'light', { ui: { expanded, active: 'layer:0' } }), 900, 700);
  await view.post(hostileLayers());
  await view.assertShownAsText('tree', '.tree', HOSTILE);
  await view.assertShownAsText('caption', '#app > header', [HOSTILE[0], HOSTILE[1], HOSTILE[2]]);
  await view.assertShownAsText('controls', '.controls', [`Unfreeze from ${HOSTILE[0]} up`, `Phase “${HOSTILE[4]}”`, HOSTILE[1]]);
  await view.assertShownAsText('next run', '.next-run', [HOSTILE[1], HOSTILE[4]]);
  // a filter typed by the user is data too
  await view.page.locator('vscode-textfield').last().locator('input').fill(HOSTILE[1]);
  await view.frames();
  await view.assertShownAsText('filtered tree', '.tree', [HOSTILE[1]]);
  await view.post({ type: 'layers/status', status: 'error', message: HOSTILE[0] });
  await view.assertShownAsText('error status', '#app', [HOSTILE[0]]);
  await view.assertClean('layers');
  await view.close();
});

test('compare: hostile run names show as text in the headline table, also after a live epoch', async () => {
  const runs = hostileCompareRuns();
  const view = await WebviewPage.open(browser, server.url('compare', 'high-contrast'), 1200, 800);
  await view.post({ type: 'compare/show', restoreKey: JSON.stringify(runs.map((r) => r.id)), runs });
  await view.assertShownAsText('headline table', 'table.headline', HOSTILE);
  await view.post({ type: 'compare/epoch', id: HOSTILE[1], point: { ...runs[1].epochs[2], epoch: 2 } });
  await view.assertShownAsText('headline table after an epoch', 'table.headline', HOSTILE);
  await view.assertClean('compare');
  await view.close();
});
