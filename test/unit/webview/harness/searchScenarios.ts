// Search leaderboard screenshots: three bases' trials (table and accuracy-vs-speed scatter) in every theme; "Train This"
// and each row's "Train" post their row.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { SearchRowView } from '../../../../src/protocol/webview';
import { THEME_NAMES, WebviewPage } from './browser';
import type { PageServer } from './pageServer';

const BASES = [
  { base: './weights/darknet-tiny-tfjs/model.json', displayName: 'darknet-tiny (model.json)', msPerImage: 21.4, params: 1_050_000, accuracy: 0.93 },
  { base: 'mobilenet_v2', displayName: 'MobileNetV2 1.0 (nsfwjs checkpoint, offline)', msPerImage: 48.2, params: 2_260_000, accuracy: 0.78 },
  { base: './weights/mobilenet_2_5_224_tf_no_top.h5', displayName: 'MobileNet 0.25 (Keras .h5)', msPerImage: 9.7, params: 220_000, accuracy: 0.84 },
];

function rows(): SearchRowView[] {
  const all = Array.from({ length: 12 }, (_, i) => {
    const base = BASES[i % 3];
    const rung = i < 3 ? 2 : i < 6 ? 1 : 0;
    return {
      base: base.base, displayName: base.displayName, msPerImage: base.msPerImage, params: base.params + (i % 4) * 40_000, rung,
      cvAccuracy: base.accuracy - 0.02 * Math.floor(i / 3) - (2 - rung) * 0.01, cvStd: 0.01 + 0.005 * (i % 4),
      settings: { learningRate: 10 ** (-4 + (i % 5) * 0.5), dropout: [0, 0.2, 0.4][i % 3], hiddenUnits: [0, 128, 256][i % 3], classWeights: i % 2 ? 'balanced' as const : 'none' as const, epochs: 3 + i },
    };
  });
  return all.sort((a, b) => b.rung - a.rung || b.cvAccuracy - a.cvAccuracy);
}

export async function searchScenarios(browser: Browser, server: PageServer): Promise<string[]> {
  const message = { type: 'search/show', experiment: '/work/flowers.experiment.json', bestExperiment: '/work/flowers.best.experiment.json', folds: 3, seconds: 142, rows: rows() };
  for (const theme of THEME_NAMES) {
    const view = await WebviewPage.open(browser, server.url('search', theme), 1200, 900);
    await view.post(message);
    await view.shot(`search-${theme}`);
    await view.assertClean(`search ${theme}`);
    assert.equal(await view.page.locator('table.leaderboard tbody tr').count(), message.rows.length);
    await view.page.getByRole('button', { name: 'Train This' }).click();
    await view.page.getByRole('button', { name: 'Train row 3' }).click();
    const trained = (await view.posted<{ type: string; row?: number }>()).filter((m) => m.type === 'search/train').map((m) => m.row);
    assert.deepEqual(trained, [0, 2], 'Train This trains the winner, a row\'s Train its row');
    await view.close();
  }
  return [`${message.rows.length} trials on ${BASES.length} bases; Train This and a row's Train post search/train with their row`];
}
