// Find Best Setup as a user meets it in code-server with the packaged VSIX: the command from the palette on a small
// experiment (one base, tiny images) → its cancellable progress → the leaderboard panel (rows and the accuracy-vs-speed
// scatter) → "Train" on a row that is not the winner writes that row's experiment beside the original and trains it.
// Screenshots land in test-results/e2e/search-*.png.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyDataset } from './fixtures/tinyDataset.js';
import { e2eTest, Session } from './session.mjs';

const VSIX = process.env.E2E_VSIX;
const RUN_MS = 240_000;

let root: string;
let workspace: string;
let session: Session | undefined;
const step = e2eTest(() => session?.bench);

before(async () => {
  assert.ok(VSIX && existsSync(VSIX), 'E2E_VSIX must name the packaged extension (npm run test:e2e packages it)');
  root = await mkdtemp(join(tmpdir(), 'transfer-lab-search-e2e-'));
  workspace = join(root, 'workspace');
  await writeTinyDataset(join(workspace, 'colors'));
  const experiment = {
    name: 'colors', seed: 42, data: { root: 'colors', inputSize: 64, split: { val: 0.2 } }, base: { model: 'nsfwjs_mobilenet_v2' },
    phases: [{ name: 'feature-extraction', epochs: 3, batchSize: 8, learningRate: 1e-3 }],
  };
  await writeFile(join(workspace, 'colors.experiment.json'), `${JSON.stringify(experiment, null, 2)}\n`);
  session = await Session.open({ vsix: VSIX!, workspace, profile: join(root, 'profile'), prefix: 'search' });
});

after(async () => {
  await session?.stop();
  // code-server's child processes may still flush workspace storage after it exits
  if (root) await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

step('Find Best Setup from the palette: progress, then a leaderboard with rows and the scatter; Train on a row writes and trains that row', { timeout: RUN_MS }, async () => {
  const { bench, page } = { bench: session!.bench, page: session!.bench.page };
  await bench.showTransferLab();
  await page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Experiments' }) }).locator('.monaco-list-row', { hasText: 'colors' }).first().click();
  await bench.tab('colors.experiment.json').waitFor();
  await bench.runCommand('Transfer Lab: Find Best Setup'); // of the active editor's experiment
  await bench.notification('Finding the best setup for colors.experiment.json').waitFor();
  await bench.screenshot('progress');

  await bench.tab('Best setup: colors.experiment.json').waitFor({ timeout: RUN_MS / 2 });
  const panel = await bench.webview('table.leaderboard');
  const rows = panel.locator('table.leaderboard tbody tr');
  await rows.first().waitFor();
  assert.ok((await rows.count()) >= 2, 'every trial is a row');
  await panel.locator('.scatter canvas[aria-label^="Cross-validated accuracy against milliseconds per image"]').waitFor();
  assert.ok(existsSync(join(workspace, 'colors.best.experiment.json')), 'the winner is written beside the experiment');
  await bench.runCommand('Notifications: Clear All Notifications');
  await bench.screenshot('leaderboard');

  await panel.getByRole('button', { name: 'Train row 2', exact: true }).click();
  await bench.notification('Training colors-trial-2').waitFor();
  const written = JSON.parse(readFileSync(join(workspace, 'colors.trial-2.experiment.json'), 'utf8'));
  assert.equal(written.name, 'colors-trial-2');
  await bench.notification(/completed — validation accuracy/).waitFor({ timeout: RUN_MS / 2 });
  await bench.screenshot('row-trained');
  const run = readdirSync(join(workspace, 'runs')).find((name) => name.endsWith('-colors-trial-2'));
  assert.ok(run, `a run of the row's experiment in runs/ (${readdirSync(join(workspace, 'runs')).join(', ')})`);
  assert.equal(JSON.parse(readFileSync(join(workspace, 'runs', run, 'state.json'), 'utf8')).state, 'completed');
});
