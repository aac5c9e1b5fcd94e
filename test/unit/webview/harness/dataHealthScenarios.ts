// Data Health screenshots: a doctor's report over real photos (a leak, label issues, a near-duplicate pair, an
// outlier, odd images, imbalance) in every theme; Move posts its message and a moved row offers Undo in place; a bare
// folder's Exclude is disabled. Then the all-clear report: every section says it found nothing.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { healthReportView } from '../../../../src/extension/webviews/dataHealth/healthView';
import type { DoctorReport } from '../../../../src/protocol/host';
import { THEME_NAMES, WebviewPage } from './browser';
import { harnessImages } from './fixtures';
import type { PageServer } from './pageServer';

function report(): DoctorReport {
  const root = harnessImages();
  const photo = (split: string, cls: string, n: number) => join(root, split, cls, readdirSync(join(root, split, cls)).sort()[n]);
  return {
    labelIssues: [
      { file: photo('train', 'daisy', 0), given: 'daisy', suggested: 'sunflower', score: 0.97 },
      { file: photo('train', 'iris', 1), given: 'iris', suggested: 'pansy', score: 0.81 },
      { file: photo('train', 'bluebell', 2), given: 'bluebell', suggested: 'pansy', score: 0.64 },
    ],
    duplicates: [
      { kind: 'exact', files: [photo('train', 'daisy', 3), photo('test', 'daisy', 0)], splits: ['train', 'test'], similarity: 1, leakage: true },
      { kind: 'near', files: [photo('train', 'iris', 4), photo('train', 'iris', 5)], splits: ['train', 'train'], similarity: 0.982, leakage: false },
    ],
    outliers: [{ file: photo('train', 'buttercup', 6), score: 0.412 }],
    classes: { bluebell: { train: 30, val: 0, test: 5 }, daisy: { train: 30, val: 0, test: 5 }, iris: { train: 90, val: 0, test: 5 } },
    imbalance: { ratio: 3, largest: 'iris', smallest: 'bluebell', defaultWeights: 'balanced', note: 'imbalanced classes: "iris" has 90 examples, 3.0× the 30 of "bluebell" — class weights are balanced by default' },
    odd: [{ file: photo('train', 'daisy', 7), reason: 'grayscale in a colour set' }],
    skipped: [], base: 'MobileNetV2 1.0', computed: 0, seconds: 3.4,
  };
}

export async function dataHealthScenarios(browser: Browser, server: PageServer): Promise<string[]> {
  const full = report();
  const show = (excludeDisabled?: string, r = full) => ({ type: 'health/show', report: healthReportView(r, { target: harnessImages(), kept: new Set(), imageUri: server.imageUri, excludeDisabled }) });
  const disabled = 'flowers is a folder without an experiment: Exclude records files in an experiment\'s data.exclude — check the experiment instead';
  for (const theme of THEME_NAMES) {
    const view = await WebviewPage.open(browser, server.url('dataHealth', theme), 1100, 1400);
    await view.post(show(disabled));
    await view.imagesLoaded();
    await view.shot(`dataHealth-${theme}`);
    await view.assertClean(`dataHealth ${theme}`);
    const headings = await view.page.locator('h2').allTextContents();
    assert.match(headings[0], /^Train–test leakage/, 'leakage comes first');
    const move = view.page.getByRole('button', { name: `Move ${full.labelIssues[0].file.split('/').slice(-2).join('/')} to sunflower` });
    await move.click();
    assert.ok((await view.posted<{ type: string; file?: string }>()).some((m) => m.type === 'health/move' && m.file === full.labelIssues[0].file), 'Move posts the file');
    assert.equal(await view.page.locator('vscode-button[disabled]', { hasText: 'Exclude' }).count(), 7, 'a bare folder cannot record exclusions');
    await view.post({ type: 'health/outcome', file: full.labelIssues[0].file, outcome: 'moved', detail: 'Moved to sunflower/ — Undo Move puts it back' });
    await view.page.getByRole('button', { name: /^Undo moving/ }).waitFor();
    if (theme === 'dark') await view.shot('dataHealth-moved-dark');
    await view.close();
  }
  const clean = { ...full, labelIssues: [], duplicates: [], outliers: [], odd: [], imbalance: undefined };
  const view = await WebviewPage.open(browser, server.url('dataHealth', 'light'), 900, 600);
  await view.post(show(undefined, clean));
  await view.shot('dataHealth-clean-light');
  assert.equal(await view.page.locator('p.empty').count(), 5, 'every empty section says so');
  await view.close();
  return [`${full.labelIssues.length} label issues, ${full.duplicates.length} duplicate groups (1 leak); Move posts health/move; a moved row offers Undo`];
}
