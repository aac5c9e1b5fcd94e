// Layers view screenshots and checks: MobileNetV2 in a sidebar, InceptionV3 (311 layers) fully expanded in a panel.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { loadExperimentFile } from '../../../../src/engine/experiment/load';
import { layersShow } from '../../../../src/extension/webviews/layers/layersMessages';
import { WebviewPage, THEME_NAMES } from './browser';
import { inspectFixture, realRuns } from './fixtures';
import type { PageServer } from './pageServer';

export async function layersScenarios(browser: Browser, server: PageServer): Promise<string[]> {
  const notes: string[] = [];
  const { experiment } = await loadExperimentFile(realRuns().experimentFile);
  const mobilenet = layersShow('file:///work/flowers.experiment.json', 'flowers.experiment.json', experiment, inspectFixture('nsfwjs_mobilenet_v2', 96));
  const inception = layersShow('file:///work/inception.experiment.json', 'inception.experiment.json', { ...experiment, phases: [experiment.phases[0], { ...experiment.phases[1], trainable: { topBlocks: 3 } }] }, inspectFixture('nsfwjs_inception_v3', 139));

  for (const theme of THEME_NAMES) {
    const view = await WebviewPage.open(browser, server.url('layers', theme, { ui: { expanded: ['block:block_15', 'block:block_16', 'block:top'] } }), 360, 900);
    await view.post(mobilenet);
    await view.page.locator('.tree').focus();
    await view.page.keyboard.press('End');
    await view.shot(`layers-mobilenet-sidebar-${theme}`);
    await view.assertClean(`layers ${theme}`);
    await view.close();
  }

  const restricted = await WebviewPage.open(browser, server.url('layers', 'light'), 360, 240);
  await restricted.post({ type: 'layers/status', status: 'restricted', message: 'Restricted Mode: trust this workspace to inspect the model an experiment names.' });
  await restricted.shot('layers-restricted-light');
  await restricted.close();

  // keyboard: Space on a layer posts a names spec (or a simpler equivalent) for the phase being edited
  const keys = await WebviewPage.open(browser, server.url('layers', 'dark'), 900, 700);
  await keys.post(mobilenet);
  await keys.page.locator('.tree').focus();
  for (const key of ['End', 'ArrowRight', 'ArrowDown', 'ArrowDown', ' ']) await keys.page.keyboard.press(key);
  await keys.frames();
  const edit = (await keys.posted<{ type: string; phaseIndex: number; spec: unknown }>()).at(-1)!;
  assert.equal(edit.type, 'layers/setTrainable');
  assert.equal(edit.phaseIndex, 1);
  notes.push(`keyboard End → ArrowRight → ArrowDown ×2 → Space posted ${JSON.stringify(edit.spec).slice(0, 120)}`);
  await keys.page.locator('vscode-textfield').first().evaluate(() => undefined);
  await keys.shot('layers-mobilenet-panel-after-toggle-dark');
  await keys.close();

  // InceptionV3, every block expanded: time from message to painted rows
  const blocks = [...new Set(inception.model.layers.map((l) => `block:${l.block}`))];
  const big = await WebviewPage.open(browser, server.url('layers', 'dark', { ui: { expanded: blocks } }), 1000, 900);
  const inPage = await big.post(inception);
  notes.push(`InceptionV3 (${inception.model.layers.length} layers, all ${blocks.length} blocks expanded): postMessage → painted in ${inPage.toFixed(0)} ms, ${await big.page.locator('.row').count()} row elements in the DOM`);
  await big.page.locator('.tree').evaluate((el) => (el.scrollTop = 4000));
  await big.shot('layers-inception-expanded-scrolled-dark');
  await big.page.locator('vscode-textfield').last().locator('input').fill('mixed9');
  await big.shot('layers-inception-filter-mixed9-dark');
  await big.assertClean('layers inception');
  await big.close();
  return notes;
}
