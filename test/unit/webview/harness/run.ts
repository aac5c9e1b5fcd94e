// Visual harness: loads each webview bundle in headless Chromium with real data and saves screenshots in the light,
// dark and high-contrast themes to test-results/webview/. Run: node esbuild.mjs && node --import tsx test/unit/webview/harness/run.ts
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, SHOTS } from './browser';
import { harnessImages, REPO, realRuns } from './fixtures';
import { compareScenarios } from './compareScenarios';
import { dashboardScenarios } from './dashboardScenarios';
import { heatmapScenarios } from './heatmapScenarios';
import { dataHealthScenarios } from './dataHealthScenarios';
import { layersScenarios } from './layersScenarios';
import { startPageServer } from './pageServer';
import { reportScenarios } from './reportScenarios';
import { searchScenarios } from './searchScenarios';

/** Scenarios that show real run folders: trained (once, cached) before the browser starts. */
const NEED_RUNS = new Set(['layers', 'dashboard', 'compare', 'report']);

async function main(): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const only = process.argv[2];
  if (!only || NEED_RUNS.has(only)) realRuns();
  const server = await startPageServer(join(REPO, 'dist/webview'), [harnessImages()]);
  const browser = await launch();
  try {
    const scenarios: [string, () => Promise<string[]>][] = [
      ['layers', () => layersScenarios(browser, server)],
      ['dashboard', () => dashboardScenarios(browser, server)],
      ['heatmaps', () => heatmapScenarios(browser, server)],
      ['compare', () => compareScenarios(browser, server)],
      ['report', () => reportScenarios(browser)],
      ['search', () => searchScenarios(browser, server)],
      ['dataHealth', () => dataHealthScenarios(browser, server)],
    ];
    for (const [name, run] of scenarios) {
      if (only && only !== name) continue;
      for (const note of await run()) console.log(`${name}: ${note}`);
    }
    console.log(`screenshots in ${SHOTS}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
