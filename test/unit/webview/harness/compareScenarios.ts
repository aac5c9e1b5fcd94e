// Compare-runs screenshots: the two real runs plus a variant with different curves (same-seed runs overlap exactly).
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { readCompareRun } from '../../../../src/extension/webviews/compare/compareRead';
import type { CompareRun } from '../../../../src/protocol/webview';
import { THEME_NAMES, WebviewPage } from './browser';
import { realRuns } from './fixtures';
import type { PageServer } from './pageServer';

function variant(run: CompareRun): CompareRun {
  const shift = (v: number | null, by: number) => (v === null ? null : v + by);
  return {
    ...run, id: `${run.id}-variant`,
    epochs: run.epochs.map((e) => ({ ...e, loss: shift(e.loss, 0.25), valLoss: shift(e.valLoss, 0.18), valAccuracy: shift(e.valAccuracy, -0.07) })),
    evaluation: run.evaluation && { ...run.evaluation, valAccuracy: shift(run.evaluation.valAccuracy, -0.07), macroF1: shift(run.evaluation.macroF1, -0.08) },
  };
}

export async function compareScenarios(browser: Browser, server: PageServer): Promise<string[]> {
  const runs = await Promise.all(realRuns().runs.slice(0, 2).map(readCompareRun));
  const message = { type: 'compare/show', restoreKey: JSON.stringify(runs.map((r) => r.id)), runs: [...runs, variant(runs[0])] };
  for (const theme of THEME_NAMES) {
    const view = await WebviewPage.open(browser, server.url('compare', theme), 1200, 800);
    await view.post(message);
    await view.shot(`compare-${theme}`);
    await view.assertClean(`compare ${theme}`);
    await view.close();
  }
  // a live epoch for one run moves only that run's curve
  const live = await WebviewPage.open(browser, server.url('compare', 'dark'), 1200, 800);
  await live.post(message);
  const last = runs[0].epochs.at(-1)!;
  await live.post({ type: 'compare/epoch', id: runs[0].id, point: { ...last, epoch: last.epoch + 1, valAccuracy: 0.7 } });
  const rows = await live.page.locator('table.headline tbody tr').count();
  assert.equal(rows, 3);
  await live.close();
  return [`${runs.length} real runs + 1 variant compared; a live epoch message updated the table`];
}
