// Dashboard screenshots and checks: a finished real run in three themes, a live replay (paint latency), a 20,000-batch
// run, and a 60-class matrix with an HTML-injection class name.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { readRunSnapshot } from '../../../../src/extension/webviews/dashboard/runFolderSnapshot';
import type { RunSnapshot, ToDashboardWebview } from '../../../../src/protocol/webview';
import { join } from 'node:path';
import { SHOTS, WebviewPage, THEME_NAMES } from './browser';
import { realRuns } from './fixtures';
import type { PageServer } from './pageServer';
import { INJECTION, longRun, manyClasses } from './syntheticRuns';
import { THEMES } from './themes';

type Bench = { transferLabBench: { median(): number; samples(): number[]; reset(): void } };
// In-page code names the page's globals through globalThis: the root tsconfig (node) has no DOM types, and the
// page's CSP forbids the eval that string predicates would need.
type ThemeDoc = { document: { documentElement: { style: { setProperty(n: string, v: string): void } }; body: { className: string } } };
const snapshotMessage = (snapshot: RunSnapshot): ToDashboardWebview => ({ type: 'run/snapshot', snapshot });

export async function dashboardScenarios(browser: Browser, server: PageServer): Promise<string[]> {
  const notes: string[] = [];
  const [newest] = realRuns().runs;
  const finished = await readRunSnapshot(newest, server.imageUri);

  for (const theme of THEME_NAMES) {
    const view = await WebviewPage.open(browser, server.url('dashboard', theme), 1200, 900);
    await view.post(snapshotMessage(finished));
    await view.imagesLoaded();
    await view.shot(`dashboard-finished-${theme}`);
    if (theme === 'dark') {
      await view.page.locator('td.cell.miss:not(.zero)').first().click();
      await view.imagesLoaded();
      await view.page.locator('.cell-gallery').screenshot({ path: join(SHOTS, 'dashboard-cell-gallery-dark.png') });
      await view.page.locator('.chart vscode-button').first().click();
      const png = (await view.posted<{ type: string; dataUrl?: string }>()).find((m) => m.type === 'export/png');
      assert.ok(png?.dataUrl?.startsWith('data:image/png;base64,'), 'PNG export posts a PNG data URL');
      // VS Code switches themes by rewriting the variables and the body class; charts must follow
      await view.page.evaluate(({ vars, bodyClass }) => {
        const { document } = globalThis as unknown as ThemeDoc;
        for (const [name, value] of Object.entries(vars)) document.documentElement.style.setProperty(name, value);
        document.body.className = bodyClass;
      }, THEMES.light);
      await view.frames();
      await view.page.locator('.charts').screenshot({ path: join(SHOTS, 'dashboard-charts-switched-dark-to-light.png') });
    }
    await view.assertClean(`dashboard ${theme}`);
    await view.close();
  }

  // live: start from the first epoch, then replay the rest as the host would send it, timing message → painted chart
  const live = await WebviewPage.open(browser, server.url('dashboard', 'dark'), 1200, 900);
  const firstEpochBatches = finished.batches.filter((b) => b.phaseIndex === 0 && b.epoch === 1);
  await live.post(snapshotMessage({ ...finished, evaluation: undefined, epochs: [], batches: firstEpochBatches, state: { ...finished.state, state: 'running', updatedAt: undefined, startedAt: new Date(Date.now() - 20_000).toISOString() } }));
  await live.page.evaluate(() => (globalThis as unknown as Bench).transferLabBench.reset());
  for (const point of finished.batches.slice(firstEpochBatches.length)) {
    await live.post({ type: 'run/batch', point });
    const epoch = finished.epochs.find((e) => e.phaseIndex === point.phaseIndex && e.epoch === point.epoch && point.batch === point.batches);
    if (epoch) await live.post({ type: 'run/epoch', point: epoch });
  }
  const median = await live.page.evaluate(() => (globalThis as unknown as Bench).transferLabBench.median());
  notes.push(`live replay of ${finished.batches.length - firstEpochBatches.length} batch messages: median metrics → painted chart ${median.toFixed(1)} ms`);
  await live.shot('dashboard-live-dark');
  await live.post({ type: 'run/state', state: { state: 'diverged', message: 'loss became NaN at phase "fine-tune", epoch 1, batch 7; the last good checkpoint is kept — lower the learning rate' } });
  await live.shot('dashboard-diverged-light-check-dark');
  await live.assertClean('dashboard live');
  await live.close();

  // 20,000 batches: first draw, then live batches on top
  const long = longRun(finished);
  const big = await WebviewPage.open(browser, server.url('dashboard', 'light'), 1200, 900);
  const inPage = await big.post(snapshotMessage(long));
  notes.push(`20,000-batch snapshot (${(JSON.stringify(long).length / 1e6).toFixed(1)} MB of JSON): postMessage → validated, drawn and painted in ${inPage.toFixed(0)} ms`);
  await big.page.evaluate(() => (globalThis as unknown as Bench).transferLabBench.reset());
  const lastEpoch = long.batches.at(-1)!;
  for (let batch = 1; batch <= 100; batch++) await big.post({ type: 'run/batch', point: { ...lastEpoch, epoch: lastEpoch.epoch + 1, batch } });
  notes.push(`20,000-batch run, 100 more live batches: median metrics → painted chart ${(await big.page.evaluate(() => (globalThis as unknown as Bench).transferLabBench.median())).toFixed(1)} ms`);
  await big.shot('dashboard-20k-batches-light');
  await big.close();

  // 60 classes, one named like an HTML injection
  const wide = await WebviewPage.open(browser, server.url('dashboard', 'high-contrast'), 1400, 1000);
  await wide.post(snapshotMessage({ ...finished, evaluation: { val: manyClasses(finished.evaluation!.val) } }));
  await wide.assertShownAsText('dashboard 60 classes', 'table.matrix', [INJECTION]);
  notes.push(`60 classes incl. ${JSON.stringify(INJECTION)}: rendered as text, no injected element`);
  await wide.shot('dashboard-60-classes-high-contrast');
  await wide.page.locator('vscode-single-select').last().evaluate((el) => {
    (el as unknown as { value: string }).value = 'confused';
    el.dispatchEvent(new Event('change'));
  });
  await wide.shot('dashboard-60-classes-most-confused-high-contrast');
  await wide.assertClean('dashboard 60 classes');
  await wide.close();
  return notes;
}
