// The extension as a user meets it: the packaged VSIX installed into code-server, driven in Chromium.
// New Experiment → Train (progress, status bar) → Stop → Train to completion, watched live on the dashboard → host
// killed, Resume, Cancel → Predict → the Experiments view → early stopping shown (dark and light theme) → 20 Train/Stop
// cycles (no leaked host) → Layers edits (dirty, Undo, Train saves first; saved at once with the file closed) → the
// walkthrough → Restricted Mode. Screenshots land in test-results/e2e/.
import { after, before, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { runDate } from '../../src/extension/experiments/runSummary.js';
import { writeTinyDataset } from './fixtures/tinyDataset.js';
import { e2eTest, Session } from './session.mjs';
import type { Workbench } from './workbench.js';
import type { Frame } from 'playwright-core';

const VSIX = process.env.E2E_VSIX;
const RUN_MS = 180_000;
/** Long enough (≈80 s here) to open a dashboard on a live run and watch it move, with twice the margin of 200 epochs,
 * which a loaded machine once nearly finished before the dashboard was found; stopped runs never get that far. */
const FINE_TUNE_EPOCHS = 400;
const SOAK_CYCLES = 20;

let root: string;
/** The workbench a test drives, so a failing test leaves a screenshot of what the user would have seen. */
let current: Workbench | undefined;

const e2e = e2eTest(() => current);
let trusted: { workspace: string; profile: string; stop(): Promise<void>; bench: Workbench };

function runs(workspace: string): string[] {
  const dir = join(workspace, 'runs');
  return existsSync(dir) ? readdirSync(dir).sort().map((name) => join(dir, name)) : [];
}

function runState(runDir: string): string {
  return JSON.parse(readFileSync(join(runDir, 'state.json'), 'utf8')).state;
}

/** Waits until a file on disk (which no UI state reports) satisfies `check`, looking every 100 ms. */
async function untilFile(file: string, what: string, check: (text: string) => boolean, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!check(readFileSync(file, 'utf8'))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await delay(100);
  }
}

async function serve(workspace: string, profile: string, isTrusted: boolean, prefix: string) {
  const session = await Session.open({ vsix: VSIX!, workspace, profile, prefix, trusted: isTrusted });
  current = session.bench;
  return { workspace, profile, bench: session.bench, stop: () => session.stop() };
}

before(async () => {
  assert.ok(VSIX && existsSync(VSIX), 'E2E_VSIX must name the packaged extension (npm run test:e2e packages it)');
  root = await mkdtemp(join(tmpdir(), 'transfer-lab-e2e-'));
  const workspace = join(root, 'trusted');
  await writeTinyDataset(join(workspace, 'colors'));
  trusted = await serve(workspace, join(root, 'profile-trusted'), true, 'trusted');
});

after(async () => {
  await trusted?.stop();
  // code-server's child processes may still flush workspace storage after it exits: retry instead of failing the suite.
  if (root) await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

e2e('the extension activates and offers New Experiment in an empty workspace', {}, async (t: TestContext) => {
  const { bench } = trusted;
  await bench.showTransferLab();
  await bench.page.getByText('No experiments in this workspace yet').waitFor();
  await bench.screenshot('empty-experiments-view');
  // VS Code's own measure: loading the bundle plus activate()
  await bench.runCommand('Developer: Show Running Extensions');
  const row = bench.page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Transfer Lab' });
  const time = row.locator('.activation-time');
  await time.waitFor();
  await bench.screenshot('running-extensions');
  const ms = Number(/(\d+)\s*ms/.exec((await time.textContent()) ?? '')?.[1]);
  t.diagnostic(`activation (VS Code's measure): ${ms} ms`);
  await bench.page.keyboard.press('Control+W');
  assert.ok(ms < 1000, `activation took ${ms} ms`);
});

e2e('a refusal shows the way forward: with no experiment yet, Show Layers offers to make one', {}, async () => {
  const { bench } = trusted;
  // (the palette offers Open Dashboard only once a run exists; its refusal is reached from the walkthrough, below)
  await bench.runCommand('Transfer Lab: Show Layers');
  const refusal = bench.notification('Show Layers needs an experiment, and this workspace has none yet');
  await refusal.locator('.monaco-button', { hasText: 'New Experiment' }).waitFor();
  await refusal.locator('.monaco-button', { hasText: 'Create Sample Experiment' }).waitFor();
  await bench.screenshot('refusal-show-layers-offers-next-step');
  await refusal.locator('.codicon-notifications-clear').click({ timeout: 3000 }).catch(() => bench.page.keyboard.press('Escape'));
});

e2e('New Experiment through the palette scans the dataset, asks the settings and writes the experiment', {}, async () => {
  const { bench, page } = { bench: trusted.bench, page: trusted.bench.page };
  await bench.runCommand('Transfer Lab: New Experiment');
  await bench.waitForQuickInput('(1/');
  await bench.quickPickItem('Quick setup').waitFor();
  await bench.screenshot('wizard-path');
  await bench.quickPickItem('Full setup').click();
  await bench.waitForQuickInput('(2/13)');
  await bench.quickPickItem('3 classes · 36 images').waitFor();
  await bench.screenshot('wizard-dataset');
  await page.keyboard.press('Enter');
  await bench.waitForQuickInput('(3/13)');
  await bench.quickPickItem('Continue with 3 classes, 36 images').waitFor();
  await bench.screenshot('wizard-scan');
  await page.keyboard.press('Enter');
  await bench.waitForQuickInput('(4/13)');
  await bench.quickPickItem('cannot be downloaded now').waitFor(); // offline: the shipped base first, with what it costs
  await bench.screenshot('wizard-base-model');
  await page.keyboard.press('Enter');
  await bench.waitForQuickInput('(5/13)');
  await page.keyboard.type('64');
  await bench.quickPickItem('64 × 64').waitFor();
  await page.keyboard.press('Enter');
  await bench.waitForQuickInput('(6/13)');
  await bench.quickPickItem('Feature extraction, then fine-tuning').waitFor();
  await bench.screenshot('wizard-strategy');
  await page.keyboard.press('Enter');
  await bench.waitForQuickInput('(7/13)');
  await bench.quickPickItem('Unfreeze the top 2 blocks').waitFor();
  await page.keyboard.press('Enter');
  const answers: [string, string][] = [['(8/13)', '3'], ['(9/13)', '0.001'], ['(10/13)', String(FINE_TUNE_EPOCHS)], ['(11/13)', '0.0001'], ['(12/13)', '8'], ['(13/13)', 'colors']];
  for (const [step, value] of answers) {
    await bench.waitForQuickInput(step);
    await bench.answer(value);
  }
  await bench.notification('Created colors.experiment.json').waitFor();
  await page.locator('.tab', { hasText: 'colors.experiment.json' }).waitFor();
  // Train is offered once the Experiments view has found an experiment (the palette filters on that when opened)
  await page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Experiments' }) }).locator('.monaco-list-row', { hasText: 'colors' }).first().waitFor();
  await bench.screenshot('experiment-created');
  const experiment = JSON.parse(readFileSync(join(trusted.workspace, 'colors.experiment.json'), 'utf8'));
  assert.equal(experiment.data.root, 'colors');
  assert.equal(experiment.data.inputSize, 64);
  assert.deepEqual(experiment.phases.map((p: { name: string; epochs: number }) => [p.name, p.epochs]), [['feature-extraction', 3], ['fine-tune', FINE_TUNE_EPOCHS]]);
  // every epoch trains (no early stopping on 7 validation images), so a run lasts long enough to watch live
  assert.ok(experiment.callbacks.earlyStopping, 'the wizard turns early stopping on');
  delete experiment.callbacks;
  await writeFile(join(trusted.workspace, 'colors.experiment.json'), JSON.stringify(experiment, null, 2) + '\n');
});

e2e('Train shows progress in a notification and the status bar; Stop Training keeps the run as "cancelled"', { timeout: RUN_MS }, async () => {
  const { bench } = trusted;
  await bench.runCommand('Transfer Lab: Train Experiment');
  const progress = bench.notification('Training colors');
  await progress.waitFor();
  await bench.statusItem.filter({ hasText: /epoch \d+\/\d+ · batch/ }).waitFor();
  await progress.locator('.monaco-button', { hasText: 'Cancel' }).waitFor();
  await bench.screenshot('training-progress');
  await bench.runCommand('Transfer Lab: Stop Training');
  await bench.notification('kept as "cancelled"').waitFor();
  await bench.statusItem.filter({ hasText: 'cancelled' }).waitFor();
  await bench.screenshot('training-stopped');
  const [run] = runs(trusted.workspace);
  assert.equal(runState(run), 'cancelled');
});

type DashboardView = { state: string; at: string; loss: string };

/** The dashboard's state, phase · epoch and loss-chart summary as the user reads them (locators: its CSP forbids eval). */
function dashboardReader(frame: Frame) {
  const fact = (term: string) => frame.locator('.run-header .facts > div', { has: frame.locator('dt', { hasText: new RegExp(`^${term}$`) }) }).locator('dd');
  const epoch = fact('Epoch');
  const epochOf = (text: string | null) => (text ?? '').split(' ')[0];
  const read = async (): Promise<DashboardView> => ({
    state: (await frame.locator('.run-header .state').textContent()) ?? '',
    at: `${await fact('Phase').textContent()} · epoch ${epochOf(await epoch.textContent())}`,
    loss: (await frame.locator('canvas[aria-label^="Loss chart"]').getAttribute('aria-label')) ?? '',
  });
  return {
    read,
    /** Waits until the shown epoch is no longer the one in `view` (or the run has ended), then reads the dashboard again. */
    async next(view: DashboardView): Promise<DashboardView> {
      const shown = view.at.split(' · epoch ')[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      await epoch.filter({ hasNotText: new RegExp(`^${shown}(\\s|$)`) }).or(frame.locator('.run-header .state:not(.state-running)')).first().waitFor();
      return read();
    },
  };
}

const trainButton = (bench: Workbench) => bench.page.locator('.editor-actions .action-label[aria-label^="Train Experiment"]');
const stopButton = (bench: Workbench) => bench.page.locator('.editor-actions .action-label[aria-label^="Stop Training"]');

e2e('a second Train, from the editor title button: the dashboard, opened from the palette mid-run, follows it live to completion', { timeout: 3 * RUN_MS }, async (t) => {
  const { bench, page } = { bench: trusted.bench, page: trusted.bench.page };
  await bench.tab('colors.experiment.json').click();
  await trainButton(bench).click();
  await bench.notification('Training colors').waitFor();
  await bench.statusItem.filter({ hasText: /epoch \d+\/\d+ · batch/ }).waitFor();
  const live = runs(trusted.workspace)[1];
  await bench.runCommand('Transfer Lab: Open Dashboard');
  await bench.waitForQuickInput('Open training dashboard');
  await bench.quickPickItem(basename(live)).filter({ hasText: 'running' }).waitFor();
  await page.keyboard.type(basename(live));
  await page.keyboard.press('Enter');
  await bench.tab(`Run ${basename(live)}`).waitFor();
  let dashboard = await bench.webview('.run-header .state-running');
  await bench.screenshot('dashboard-live-opened');
  let shown = dashboardReader(dashboard);
  const seen = [await shown.read()];
  assert.equal(seen[0].state, 'running', 'the dashboard opened while the run was live');
  while (seen.length < 3) {
    const next = await shown.next(seen.at(-1)!);
    assert.equal(next.state, 'running', `the run ended after only ${seen.length - 1} advance(s) seen: ${JSON.stringify(seen)}`);
    seen.push(next);
  }
  await bench.screenshot('dashboard-live-mid-run');
  t.diagnostic(`live dashboard: ${seen.map((v) => v.at).join(' → ')}`);
  // the Experiments view follows the run too: its row shows the epoch moving while the run reports every epoch
  const treeRow = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Experiments' }) })
    .locator('.monaco-list-row', { hasText: runDate(live) }).filter({ hasText: /running · fine-tune epoch \d+/ });
  const treeEpoch = async () => /epoch (\d+)/.exec(await treeRow.innerText({ timeout: 10_000 }))![1];
  const firstTreeEpoch = await treeEpoch();
  await treeRow.filter({ hasNotText: new RegExp(`epoch ${firstTreeEpoch}\\b`) }).waitFor({ timeout: 10_000 });
  // clicking the running run's row opens its dashboard every time, while the row keeps changing under the pointer
  const dashboardTab = page.locator('.tab.active', { hasText: `Run ${basename(live)}` });
  for (let click = 1; click <= 5; click++) {
    const before = await treeEpoch();
    await bench.tab('colors.experiment.json').click();
    await page.locator('.tab.active', { hasText: 'colors.experiment.json' }).waitFor();
    await treeRow.filter({ hasNotText: new RegExp(`epoch ${before}\\b`) }).waitFor({ timeout: 10_000 }); // the row was replaced since
    await treeRow.click();
    await dashboardTab.waitFor({ timeout: 5000 }).catch(() => assert.fail(`click ${click} on the running run's row did not open its dashboard`));
  }
  // a webview hidden behind another tab is made again when shown: read the new frame
  dashboard = await bench.webview('.run-header .facts');
  shown = dashboardReader(dashboard);
  await bench.screenshot('dashboard-opened-from-running-row');
  // the loss chart moves on too (its accessible name carries its latest epoch); charts may paint a frame behind the header
  await dashboard.locator('canvas[aria-label^="Loss chart"]').and(dashboard.locator(`:not([aria-label="${seen[0].loss}"])`)).waitFor();
  // 400 epochs outlast finding the dashboard and five row clicks; on a busy machine the run itself takes minutes
  await dashboard.locator('.run-header .state-completed').waitFor({ timeout: 2 * RUN_MS });
  const end = await shown.read();
  assert.equal(end.at, `2/2 fine-tune · epoch ${FINE_TUNE_EPOCHS}/${FINE_TUNE_EPOCHS}`, 'the header ends on the last epoch');
  await dashboard.locator('section.evaluation h2', { hasText: /accuracy on \d+ val images/ }).waitFor();
  await dashboard.locator('canvas[aria-label^="Loss chart"]').scrollIntoViewIfNeeded();
  await bench.screenshot('dashboard-live-completed');
  await bench.notification(/completed — validation accuracy/).waitFor({ timeout: RUN_MS });
  await bench.statusItem.filter({ hasText: 'completed' }).waitFor();
  assert.equal(runState(live), 'completed');
  assert.ok(existsSync(join(live, 'model', 'model.json')), 'a completed run exports its model');
  await bench.statusItem.click(); // the status bar's way to the same dashboard
  await page.locator('.tab.active', { hasText: `Run ${basename(live)}` }).waitFor();
});

e2e("the completed run's dashboard shows the confusion matrix; a cell opens its validation images with true and predicted labels", {}, async () => {
  const { bench } = trusted;
  const completed = runs(trusted.workspace)[1];
  await bench.tab(`Run ${basename(completed)}`).click();
  const dashboard = await bench.webview('table.matrix');
  await dashboard.locator('.run-header .state-completed').waitFor();
  await dashboard.locator('section.evaluation h2', { hasText: /accuracy on \d+ val images/ }).waitFor();
  const matrix = dashboard.locator('table.matrix');
  for (const name of ['red', 'green', 'blue']) await matrix.locator('th.row-head', { hasText: name }).waitFor();
  const cells = matrix.locator('td.cell');
  assert.equal(await cells.count(), 9, 'a 3 × 3 matrix');
  // a diagonal cell with images: "True red, predicted red: 3 images (…)"
  const cell = matrix.locator('td.cell.hit:not(.zero)').first();
  const [, truth, predicted, count] = /^True (\w+), predicted (\w+): (\d+) image/.exec((await cell.getAttribute('aria-label')) ?? '') ?? [];
  assert.ok(truth && Number(count) > 0, 'a diagonal cell counts images');
  await cell.click();
  const gallery = dashboard.locator('section.cell-gallery');
  await gallery.locator('h3', { hasText: `${truth} predicted correctly (${count} image` }).waitFor();
  const shots = gallery.locator('li.shot');
  await shots.nth(Number(count) - 1).waitFor();
  assert.equal(await shots.count(), Number(count), 'one picture per image counted in the cell');
  await gallery.locator('li.shot img').first().waitFor();
  for (const caption of await gallery.locator('li.shot .caption').allTextContents()) {
    assert.match(caption, new RegExp(`true ${truth}.*predicted ${predicted}.*confidence \\d`));
  }
  await gallery.locator('li.shot .caption').last().scrollIntoViewIfNeeded(); // the captions, for the screenshot
  await bench.screenshot('dashboard-matrix-cell-gallery');
  // Escape closes the gallery (focus goes back to its cell)
  await gallery.locator('li.shot img').first().focus();
  await bench.page.keyboard.press('Escape');
  await gallery.locator('h3').waitFor({ state: 'detached' });
  // a thumbnail opens its image in an editor
  await cell.click();
  const shot = gallery.locator('li.shot img').first();
  const file = basename((await shot.getAttribute('alt'))!.split(':')[0]);
  await shot.click();
  await bench.page.locator('.tab.active', { hasText: file }).waitFor();
  await bench.screenshot('thumbnail-opened-image');
  await bench.tab(`Run ${basename(completed)}`).click();
  // the saved report says where it is and offers to open or reveal it (the dashboard's frame is new: it was hidden)
  const shownAgain = await bench.webview('.run-header .state-completed', { except: dashboard });
  await shownAgain.locator('vscode-button', { hasText: 'Export report (HTML)' }).click();
  await bench.waitForQuickInput('Export HTML report');
  await bench.page.keyboard.press('Enter');
  const saved = bench.notification(/Saved .*-report\.html/);
  await saved.locator('.monaco-button', { hasText: 'Open' }).waitFor();
  await bench.screenshot('report-saved-offers-open-reveal');
  await saved.locator('.monaco-button', { hasText: 'Reveal in Explorer' }).click();
  await bench.page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${basename(completed)}-report.html"]`).waitFor();
  assert.ok(existsSync(join(completed, `${basename(completed)}-report.html`)));
  await bench.showTransferLab();
});


e2e('the host killed mid-run: the run is marked "crashed", the user is told with the last output, and Resume continues it', { timeout: RUN_MS }, async () => {
  const { bench, page } = { bench: trusted.bench, page: trusted.bench.page };
  await page.locator('.tab', { hasText: 'colors.experiment.json' }).click();
  await bench.runCommand('Transfer Lab: Train Experiment');
  await bench.statusItem.filter({ hasText: /fine-tune · epoch \d+\/\d+ · batch/ }).waitFor();
  const crashed = runs(trusted.workspace)[2];
  const { pid } = JSON.parse(readFileSync(join(crashed, 'state.json'), 'utf8'));
  process.kill(pid, 'SIGKILL');
  const notice = bench.notification('training host was killed (SIGKILL)');
  await notice.waitFor();
  await bench.statusItem.filter({ hasText: 'crashed' }).waitFor();
  await bench.screenshot('host-crashed');
  assert.equal(runState(crashed), 'crashed');
  await notice.locator('.monaco-button', { hasText: 'Resume' }).click();
  const progress = bench.notification('Training colors');
  await bench.statusItem.filter({ hasText: /epoch \d+\/\d+ · batch/ }).waitFor();
  await bench.screenshot('resumed-after-crash');
  await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
  // The earlier Stop left a "kept as cancelled" toast: wait for this run's own notice and status instead.
  await bench.notification(`Run ${basename(crashed)} stopped and kept as "cancelled"`).waitFor();
  await bench.statusItem.filter({ hasText: 'cancelled' }).waitFor();
  assert.equal(runState(crashed), 'cancelled');
  assert.match(readFileSync(join(crashed, 'metrics.jsonl'), 'utf8'), /"event":"resumed"/);
});

// Written for issue 19 item 4 without running this suite (h19tb): drop the todo once it has passed here.
e2e('a run trained by the CLI outside this window (as in a terminal) shows live: the status bar, the dashboard\'s epochs moving, then "cancelled" on Ctrl+C', {
  timeout: 2 * RUN_MS,
}, async () => {
  const { bench, page } = { bench: trusted.bench, page: trusted.bench.page };
  const before = runs(trusted.workspace).length;
  const cli = spawn(process.execPath, [join(process.cwd(), 'bin', 'transfer-lab.js'), 'train', join(trusted.workspace, 'colors.experiment.json')], { stdio: 'ignore' });
  const exited = new Promise((resolve) => cli.on('exit', resolve));
  try {
    while (runs(trusted.workspace).length === before) await delay(100);
    const external = runs(trusted.workspace).at(-1)!;
    await bench.statusItem.filter({ hasText: /epoch \d+\/\d+/ }).waitFor({ timeout: RUN_MS });
    await bench.runCommand('Transfer Lab: Open Dashboard');
    await bench.waitForQuickInput('Open training dashboard');
    await bench.quickPickItem(basename(external)).filter({ hasText: 'running' }).waitFor();
    await page.keyboard.type(basename(external));
    await page.keyboard.press('Enter');
    const dashboard = await bench.webview('.run-header .state-running');
    const shown = dashboardReader(dashboard);
    const first = await shown.read();
    const second = await shown.next(first);
    assert.equal(second.state, 'running', 'the CLI run was still training');
    assert.notEqual(second.at, first.at, 'the dashboard followed its epochs');
    await bench.screenshot('dashboard-cli-run-live');
    cli.kill('SIGINT');
    await dashboard.locator('.run-header .state-cancelled').waitFor({ timeout: RUN_MS });
    await bench.statusItem.filter({ hasText: 'cancelled' }).waitFor();
    assert.equal(runState(external), 'cancelled');
  } finally {
    cli.kill('SIGKILL');
    await exited;
  }
});

e2e('Predict with Run on an image in the Explorer shows the top classes with confidence', { timeout: RUN_MS }, async () => {
  const { bench, page } = { bench: trusted.bench, page: trusted.bench.page };
  await bench.showExplorer();
  await bench.contextMenu(await bench.explorerRow('colors/red/00.png'), 'Predict with Run');
  await bench.quickPickItem('completed').waitFor();
  await page.keyboard.press('Enter');
  await bench.waitForQuickInput('Predictions for 00.png');
  const top = bench.quickInput.locator('.monaco-list-row').first();
  await top.waitFor();
  await bench.screenshot('prediction');
  assert.match((await top.textContent()) ?? '', /^red.*\d+\.\d%/);
  await page.keyboard.press('Escape');
});

// todo: in code-server the step stops after the ONNX choice — the extension's log shows no export request, so the
// path prompt that follows is not what this step answers; the CLI and host export ONNX (test/unit/export)
e2e('Export Model offers ONNX and the TensorFlow training script, writes the .onnx and opens Python, C# and JavaScript to load it', {
  timeout: RUN_MS,
}, async () => {
  const { bench, page } = { bench: trusted.bench, page: trusted.bench.page };
  await bench.runCommand('Transfer Lab: Export Model');
  await bench.quickPickItem('completed').waitFor();
  await page.keyboard.press('Enter');
  await bench.waitForQuickInput(/Export the model of .* as/);
  for (const format of ['ONNX (.onnx)', 'TensorFlow/Keras training script (.py)', 'TensorFlow/Keras training notebook (.ipynb)']) await bench.quickPickItem(format).waitFor();
  await bench.screenshot('export-formats');
  await bench.quickPickItem('ONNX (.onnx)').click();
  const file = join(trusted.workspace, 'colors.onnx');
  await bench.quickInput.locator('input.input').waitFor({ state: 'visible' });
  await bench.answer(file);
  await bench.notification('Exported the model to').waitFor({ timeout: RUN_MS });
  // the loaders open as an untitled notebook: its code cells are editors in the workbench (markdown renders in a webview)
  await page.locator('.notebook-editor .monaco-editor .view-lines', { hasText: 'import onnxruntime as ort' }).first().waitFor();
  await bench.screenshot('export-onnx-snippets');
  assert.ok(existsSync(file), 'the .onnx file is written where the dialog said');
});

e2e('the Experiments view lists the experiment with its runs, states and accuracy', {}, async () => {
  const { bench } = trusted;
  await bench.showTransferLab();
  const view = bench.page.locator('.pane', { has: bench.page.locator('.pane-header', { hasText: 'Experiments' }) });
  await view.locator('.monaco-list-row', { hasText: 'colors' }).first().waitFor();
  await view.locator('.monaco-list-row', { hasText: /\d+\.\d% · completed/ }).waitFor();
  await view.locator('.monaco-list-row', { hasText: 'cancelled' }).first().waitFor();
  await bench.screenshot('experiments-view');
});

e2e('early stopping is said where people look: the completion message, the dashboard header and charts; the sidebar Layers view keeps the experiment and shows the file', { timeout: RUN_MS }, async () => {
  const { bench, page } = { bench: trusted.bench, page: trusted.bench.page };
  const colors = JSON.parse(readFileSync(join(trusted.workspace, 'colors.experiment.json'), 'utf8'));
  // no epoch can beat the first by 0.99 of accuracy: each phase stops at its second epoch and restores its first
  const early = {
    ...colors, name: 'early', phases: [{ ...colors.phases[0], epochs: 6 }, { ...colors.phases[1], epochs: 6, trainable: { topBlocks: 3 } }],
    callbacks: { earlyStopping: { monitor: 'val_accuracy', patience: 1, minDelta: 0.99, restoreBestWeights: true } },
  };
  await writeFile(join(trusted.workspace, 'early.experiment.json'), JSON.stringify(early, null, 2) + '\n');
  const experiments = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Experiments' }) });
  await experiments.locator('.monaco-list-row', { hasText: /^early/ }).first().click();
  await bench.tab('early.experiment.json').and(page.locator('.tab.active')).waitFor();
  await trainButton(bench).click();
  const done = bench.notification(/completed — validation accuracy .*feature-extraction stopped early at 2\/6, restored best epoch 1; fine-tune stopped early at 2\/6, restored best epoch 1/);
  await done.waitFor({ timeout: RUN_MS });
  await bench.screenshot('early-stopping-completed-message');
  const run = runs(trusted.workspace).filter((r) => basename(r).endsWith('-early')).at(-1)!;
  await experiments.locator('.monaco-list-row', { hasText: runDate(run) }).click();
  const dashboard = await bench.webview('.run-header .endings .ending');
  const endings = dashboard.locator('.run-header .endings');
  await endings.filter({ hasText: 'feature-extraction: stopped early at 2/6, restored best epoch 1' }).waitFor();
  await endings.filter({ hasText: 'fine-tune: stopped early at 2/6, restored best epoch 1' }).waitFor();
  await dashboard.locator('canvas[aria-label^="Loss chart"][aria-label*="best epoch 1 restored"]').waitFor();
  // the sidebar Layers view still shows the experiment while the dashboard is in front, with the file's own values
  const layers = await bench.webview('[role="tree"][aria-label="Model layers"]', { except: dashboard, timeout: 5000 }).catch(async () => {
    await bench.runCommand('Transfer Lab: Focus on Layers View');
    return bench.webview('[role="tree"][aria-label="Model layers"]', { except: dashboard });
  });
  await layers.locator('.summary', { hasText: '{"topBlocks":3}' }).waitFor();
  assert.equal(await layers.locator('vscode-textfield[aria-label="How many"] input').inputValue(), '3', '"Unfreeze top" shows what the file says');
  // at the sidebar's default width: names first, a block's count as a compact badge ("0/9"), no parameter column
  await layers.locator('.row.block .detail').first().waitFor();
  assert.ok(await layers.locator('.row.block .detail .wide').first().isHidden(), 'the badge drops the word "trainable"');
  assert.ok(await layers.locator('.row.block .params').first().isHidden(), 'parameters are in the tooltip');
  await page.locator('.tab.active', { hasText: `Run ${basename(run)}` }).waitFor();
  await dashboard.locator('table.matrix').scrollIntoViewIfNeeded();
  await bench.screenshot('early-stopping-dashboard-dark');
  await rm(join(trusted.workspace, 'early.experiment.json'));
});

interface ProcessRow { pid: number; ppid: number; args: string }

function processes(): ProcessRow[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).split('\n').filter(Boolean).map((line) => {
    const [, pid, ppid, args] = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line) ?? [];
    return { pid: Number(pid), ppid: Number(ppid), args };
  });
}

e2e(`${SOAK_CYCLES} Train/Stop cycles from the editor title buttons: every run "cancelled", one training host left, no orphan`, { timeout: 600_000 }, async (t) => {
  const { bench } = trusted;
  const before = runs(trusted.workspace).length;
  await bench.tab('colors.experiment.json').click();
  const started = Date.now();
  for (let cycle = 1; cycle <= SOAK_CYCLES; cycle++) {
    await trainButton(bench).click(); // shown only while nothing trains: this also waits for the previous run to end
    await bench.statusItem.filter({ hasText: /epoch \d+\/\d+ · batch/ }).waitFor();
    await stopButton(bench).click();
    await bench.statusItem.filter({ hasText: 'cancelled' }).waitFor();
  }
  await trainButton(bench).waitFor();
  const seconds = (Date.now() - started) / 1000;
  t.diagnostic(`${SOAK_CYCLES} cycles in ${seconds.toFixed(1)} s (${(seconds / SOAK_CYCLES).toFixed(1)} s each)`);
  await bench.screenshot('soak-done');
  const cycled = runs(trusted.workspace).slice(before);
  assert.equal(cycled.length, SOAK_CYCLES, 'one run folder per Train');
  assert.deepEqual(cycled.map(runState), Array(SOAK_CYCLES).fill('cancelled'));
  assert.deepEqual(runs(trusted.workspace).filter((run) => runState(run) === 'running'), [], 'no run is left "running"');
  const all = processes();
  const hostScript = join(trusted.profile, 'extensions', 'transfer-lab.transfer-lab-');
  const hosts = all.filter((p) => p.args.includes(hostScript) && p.args.includes('dist/host.js'));
  t.diagnostic(`training hosts: ${hosts.map((h) => `${h.pid} (parent ${h.ppid})`).join(', ') || 'none'}`);
  assert.ok(hosts.length <= 1, `at most one training host per window, found ${hosts.length}`);
  for (const host of hosts) {
    const parent = all.find((p) => p.pid === host.ppid);
    assert.match(parent?.args ?? 'no parent (orphan)', /extensionHost/, `host ${host.pid} belongs to the window's extension host`);
  }
  const pids = new Set(cycled.map((run) => JSON.parse(readFileSync(join(run, 'state.json'), 'utf8')).pid));
  assert.deepEqual([...pids], hosts.map((h) => h.pid), 'all the runs trained in the one host that is left: none was started per run');
});

/** A Layers webview switched to the fine-tune phase; its blocks are counted from the top of the model (the tree's end). */
async function fineTuneLayers(frame: Frame, page: Workbench['page']) {
  const summary = frame.locator('.summary');
  await summary.locator('code').waitFor();
  if (!((await summary.textContent()) ?? '').includes('Phase “fine-tune”')) {
    await frame.locator('vscode-single-select[label="Editing phase"]').click();
    // the options are drawn as role=option inside the select's shadow root (the light-DOM vscode-option stays hidden)
    await frame.locator('vscode-single-select[label="Editing phase"]').getByRole('option', { name: '2 · fine-tune' }).click();
  }
  await summary.filter({ hasText: 'Phase “fine-tune”' }).waitFor();
  const tree = frame.locator('[role="tree"]');
  const blocks = Number(await tree.locator('[role="treeitem"][aria-level="1"]').first().getAttribute('aria-setsize'));
  assert.ok(blocks >= 3, `the model has ${blocks} blocks`);
  const block = (fromTop: number) => tree.locator(`[role="treeitem"][aria-level="1"][aria-posinset="${blocks - fromTop}"]`);
  /** By keyboard, as the ARIA tree offers it: End, then up; resolves to the selected block. */
  const selectFromTop = async (fromTop: number) => {
    await tree.locator('[role="treeitem"] .name').first().click();
    await page.keyboard.press('End');
    await block(0).and(tree.locator('[aria-selected="true"]')).waitFor();
    for (let i = 0; i < fromTop; i++) await page.keyboard.press('ArrowUp');
    const selected = block(fromTop).and(tree.locator('[aria-selected="true"]'));
    await selected.waitFor();
    return selected;
  };
  return { summary, tree, block, selectFromTop };
}

e2e('the Layers view edits the fine-tune phase: a toggle is an unsaved edit of the open file (Undo, Redo), Train saves it first, a file edit reaches the tree', { timeout: RUN_MS }, async () => {
  const { bench, page } = { bench: trusted.bench, page: trusted.bench.page };
  current = bench;
  const file = join(trusted.workspace, 'colors.experiment.json');
  const original = readFileSync(file, 'utf8');
  const fineTune = () => JSON.parse(readFileSync(file, 'utf8')).phases[1].trainable;
  assert.deepEqual(fineTune(), { topBlocks: 2 }, 'the wizard wrote "Unfreeze the top 2 blocks"');
  const editorTab = bench.tab('colors.experiment.json');
  await editorTab.click();
  await bench.runCommand('Transfer Lab: Focus on Layers View');
  const layers = await bench.webview('[role="tree"][aria-label="Model layers"]');
  const { summary, tree, block, selectFromTop } = await fineTuneLayers(layers, page);
  await summary.locator('code', { hasText: '{"topBlocks":2}' }).waitFor();
  const third = await selectFromTop(2);
  await third.and(tree.locator('[aria-checked="false"]')).waitFor();
  await block(1).and(tree.locator('[aria-checked="true"]')).waitFor();
  await page.keyboard.press('Space');
  await third.and(tree.locator('[aria-checked="true"]')).waitFor();
  await summary.locator('code', { hasText: '{"topBlocks":3}' }).waitFor();
  // the toggle is an edit in the open editor, like typing: the tab shows the dirty dot, the file is not written yet
  const dirtyTab = editorTab.and(page.locator('.tab.dirty'));
  const cleanTab = editorTab.and(page.locator('.tab:not(.dirty)'));
  await dirtyTab.waitFor();
  await bench.screenshot('layers-toggled-dirty');
  assert.equal(readFileSync(file, 'utf8'), original, 'an unsaved toggle does not reach the file');
  await editorTab.click();
  await page.keyboard.press('Control+Z');
  await block(2).and(tree.locator('[aria-checked="false"]')).waitFor();
  await summary.locator('code', { hasText: '{"topBlocks":2}' }).waitFor();
  await cleanTab.waitFor(); // back to the saved text
  await page.keyboard.press('Control+Shift+Z');
  await summary.locator('code', { hasText: '{"topBlocks":3}' }).waitFor();
  await dirtyTab.waitFor();
  // Train saves the dirty experiment first: the run trains what the editor shows
  await trainButton(bench).click();
  await untilFile(file, 'Train saved the file with the top 3 blocks', (text) => JSON.stringify(JSON.parse(text).phases[1].trainable) === '{"topBlocks":3}');
  await cleanTab.waitFor();
  await bench.statusItem.filter({ hasText: /epoch \d+\/\d+ · batch/ }).waitFor();
  await stopButton(bench).click();
  await bench.statusItem.filter({ hasText: 'cancelled' }).waitFor();
  const trained = runs(trusted.workspace).at(-1)!;
  assert.deepEqual(JSON.parse(readFileSync(join(trained, 'experiment.json'), 'utf8')).phases[1].trainable, { topBlocks: 3 }, "the run's snapshot has the toggle");
  // Undo still takes the toggle back, now as an unsaved change against the file Train saved
  await editorTab.click();
  await page.keyboard.press('Control+Z');
  await block(2).and(tree.locator('[aria-checked="false"]')).waitFor();
  await summary.locator('code', { hasText: '{"topBlocks":2}' }).waitFor();
  await dirtyTab.waitFor();
  await page.keyboard.press('Control+S');
  await untilFile(file, 'the file, saved after Undo, is as it was', (text) => text === original);
  await cleanTab.waitFor();
  await bench.screenshot('layers-undone');
  // an edit of the file itself reaches the tree
  const edited = JSON.parse(original);
  edited.phases[1].trainable = { topBlocks: 1 };
  await writeFile(file, JSON.stringify(edited, null, 2) + '\n');
  await block(1).and(tree.locator('[aria-checked="false"]')).waitFor();
  await block(0).and(tree.locator('[aria-checked="true"]')).waitFor();
  await summary.locator('code', { hasText: '{"topBlocks":1}' }).waitFor();
  await bench.screenshot('layers-file-edited');
  await writeFile(file, original);
  await block(1).and(tree.locator('[aria-checked="true"]')).waitFor();
  await summary.locator('code', { hasText: '{"topBlocks":2}' }).waitFor();
});

e2e('with no editor showing the experiment, a Layers panel toggle is saved at once: no unsaved file hides in the background', { timeout: RUN_MS }, async () => {
  const { bench, page } = { bench: trusted.bench, page: trusted.bench.page };
  const file = join(trusted.workspace, 'colors.experiment.json');
  const original = readFileSync(file, 'utf8');
  const sidebar = await bench.webview('[role="tree"][aria-label="Model layers"]');
  const fileTab = page.locator('.tab').filter({ hasText: /^colors\.experiment\.json/ });
  await fileTab.click();
  await page.locator('.editor-actions .action-label[aria-label^="Show Layers"]').click();
  await bench.tab('Layers: colors.experiment.json').waitFor();
  await fileTab.click();
  await page.keyboard.press('Control+W');
  await fileTab.waitFor({ state: 'detached' });
  const { summary, tree, selectFromTop } = await fineTuneLayers(await bench.webview('[role="tree"][aria-label="Model layers"]', { except: sidebar }), page);
  const third = await selectFromTop(2);
  await page.keyboard.press('Space');
  await third.and(tree.locator('[aria-checked="true"]')).waitFor();
  await summary.locator('code', { hasText: '{"topBlocks":3}' }).waitFor();
  await untilFile(file, 'the toggle was saved', (text) => JSON.stringify(JSON.parse(text).phases[1].trainable) === '{"topBlocks":3}');
  await bench.screenshot('layers-panel-saved');
  // opened again, the file shows the toggle and no dirty dot: nothing was left unsaved out of sight
  await page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Experiments' }) }).locator('.monaco-list-row', { hasText: 'colors' }).first().click();
  await fileTab.and(page.locator('.tab.active:not(.dirty)')).waitFor();
  await writeFile(file, original);
});

e2e('the Getting Started walkthrough creates the sample experiment', { timeout: RUN_MS }, async () => {
  const { bench, page } = { bench: trusted.bench, page: trusted.bench.page };
  await bench.runCommand('Welcome: Open Walkthrough...');
  await bench.quickPickItem('Get Started with Transfer Lab').click();
  // every step whose command succeeded by now is ticked: an experiment, a run, the Layers view, a dashboard
  for (const step of ['createSample', 'train', 'layers', 'dashboard']) await page.locator(`button.getting-started-step[data-step-id$="${step}"][aria-checked="true"]`).waitFor();
  await bench.screenshot('walkthrough-steps-done');
  const create = page.getByRole('button', { name: 'Create Sample Experiment' });
  await create.click();
  await page.locator('.tab', { hasText: 'fashion.experiment.json' }).waitFor({ timeout: RUN_MS });
  await bench.screenshot('walkthrough-sample-created');
  const sample = join(trusted.workspace, 'transfer-lab-sample');
  assert.ok(existsSync(join(sample, 'fashion.experiment.json')));
  assert.ok(readdirSync(join(sample, 'fashion')).length >= 2, 'one folder per class');
});

e2e('Restricted Mode: experiments can be browsed and are schema-checked, training is refused with an explanation', { timeout: RUN_MS }, async () => {
  const workspace = join(root, 'untrusted');
  await mkdir(workspace, { recursive: true });
  await cp(join(trusted.workspace, 'colors'), join(workspace, 'colors'), { recursive: true });
  await cp(join(trusted.workspace, 'colors.experiment.json'), join(workspace, 'colors.experiment.json'));
  await writeFile(join(workspace, 'typo.experiment.json'), JSON.stringify({ name: 'typo', data: { root: 'colors' }, base: { model: 'nsfwjs_mobilenet_v2' }, phases: [{ epochs: 'ten' }] }, null, 2));
  const restricted = await serve(workspace, join(root, 'profile-untrusted'), false, 'restricted');
  try {
    const { bench, page } = { bench: restricted.bench, page: restricted.bench.page };
    await bench.showTransferLab();
    await page.locator('.monaco-list-row', { hasText: 'colors' }).first().waitFor();
    await page.locator('.monaco-list-row', { hasText: 'typo' }).first().click();
    await page.locator('.tab', { hasText: 'typo.experiment.json' }).waitFor();
    // the extension's JSON schema reaches the editor: a string where epochs needs a number is flagged
    await page.locator('[id="status.problems"]', { hasText: /[1-9]/ }).waitFor();
    await bench.screenshot('restricted-schema-problem');
    await bench.runCommand('Transfer Lab: Train Experiment');
    await bench.notification('not available in Restricted Mode').waitFor();
    await bench.screenshot('restricted-mode-refused');
    assert.deepEqual(runs(workspace), [], 'no run folder is created');
    // the walkthrough's Open Dashboard with no run offers Train; the walkthrough ticks neither refused step
    await bench.runCommand('Welcome: Open Walkthrough...');
    await bench.quickPickItem('Get Started with Transfer Lab').click();
    await page.locator('button.getting-started-step[data-step-id$="dashboard"]').click();
    await page.getByRole('button', { name: 'Open Dashboard' }).click();
    await bench.notification('has no runs yet: train it first').locator('.monaco-button', { hasText: 'Train' }).waitFor();
    await page.locator('button.getting-started-step[data-step-id$="createSample"][aria-checked="true"]').waitFor();
    for (const step of ['train', 'dashboard']) await page.locator(`button.getting-started-step[data-step-id$="${step}"][aria-checked="false"]`).waitFor();
    await bench.screenshot('restricted-walkthrough-refusals-not-ticked');
  } finally {
    await restricted.stop();
  }
});
