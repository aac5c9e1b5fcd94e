// The exported HTML report, opened as a plain file with JavaScript off, in light and dark system colours.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { readRunSnapshot } from '../../../../src/extension/webviews/dashboard/runFolderSnapshot';
import { runReportHtml } from '../../../../src/extension/webviews/report/runReport';
import { SHOTS } from './browser';
import { realRuns } from './fixtures';
import { INJECTION, manyClasses } from './syntheticRuns';

export async function reportScenarios(browser: Browser): Promise<string[]> {
  const snapshot = await readRunSnapshot(realRuns().runs[0], () => undefined);
  const injected = { ...snapshot, evaluation: { val: manyClasses(snapshot.evaluation!.val, 14) } };
  const notes: string[] = [];
  for (const [name, run] of [['report-real', snapshot], ['report-14-classes-injection', injected]] as const) {
    const html = runReportHtml(run, new Date());
    assert.ok(!/(src|href)\s*=\s*["']?(https?:|\/\/)/i.test(html), 'the report loads nothing from the network');
    const file = join(SHOTS, `${name}.html`);
    writeFileSync(file, html);
    for (const scheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ javaScriptEnabled: false, colorScheme: scheme, viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      await page.goto(`file://${file}`);
      const images = await page.locator('img').count();
      const literal = await page.getByText(INJECTION, { exact: true }).count();
      assert.equal(images, 0, 'no <img> element in the report');
      if (run === injected) assert.ok(literal > 0, 'the injection class name shows as text');
      await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`), fullPage: true });
      await context.close();
    }
    notes.push(`${name}.html: ${(html.length / 1024).toFixed(0)} KiB, opens with JavaScript off, no network URL`);
  }
  return notes;
}
