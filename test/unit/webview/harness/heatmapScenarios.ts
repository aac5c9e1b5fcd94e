// "Show where the model looks" in the dashboard: a finished real run, the toggle turned on, the heatmaps the page
// asks for computed by the engine from the run's model, painted over the mistakes and a cell's gallery, per theme.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { join } from 'node:path';
import { selectEngine } from '../../../../src/engine/backend/select';
import { runHeatmaps } from '../../../../src/engine/explain/heatmaps';
import { heatmapView } from '../../../../src/extension/webviews/dashboard/heatmapView';
import { readRunSnapshot } from '../../../../src/extension/webviews/dashboard/runFolderSnapshot';
import { SHOTS, THEME_NAMES, WebviewPage } from './browser';
import { realRuns } from './fixtures';
import type { PageServer } from './pageServer';

type Asked = { type: string; paths?: string[] };

export async function heatmapScenarios(browser: Browser, server: PageServer): Promise<string[]> {
  await selectEngine('wasm');
  const [newest] = realRuns().runs;
  const finished = await readRunSnapshot(newest, server.imageUri);
  const notes: string[] = [];
  for (const theme of THEME_NAMES) {
    const view = await WebviewPage.open(browser, server.url('dashboard', theme), 1200, 900);
    await view.post({ type: 'run/snapshot', snapshot: finished });
    await view.imagesLoaded();
    assert.equal((await view.posted<Asked>()).filter((m) => m.type === 'heatmaps/request').length, 0, 'off by default: nothing asked');
    await view.page.locator('vscode-checkbox', { hasText: 'Show where the model looks' }).click();
    await view.page.locator('td.cell.miss:not(.zero)').first().click();
    await view.frames();
    const asked = (await view.posted<Asked>()).filter((m) => m.type === 'heatmaps/request').flatMap((m) => m.paths ?? []);
    assert.ok(asked.length > 0 && asked.length <= 60 + 12, `asks only for the pictures shown (${asked.length})`);
    const result = await runHeatmaps(newest, asked);
    await view.post({ type: 'run/heatmaps', method: result.method, layer: result.layer, heatmaps: result.heatmaps.map(heatmapView) });
    await view.imagesLoaded();
    await view.frames();
    await view.page.locator('.evaluation').screenshot({ path: join(SHOTS, `dashboard-heatmaps-${theme}.png`) });
    await view.assertClean(`dashboard heatmaps ${theme}`);
    notes.push(`${theme}: ${asked.length} pictures asked for, ${result.method} on ${result.layer} (${result.heatmaps[0]?.rows}×${result.heatmaps[0]?.cols})`);
    await view.close();
  }
  return notes;
}
