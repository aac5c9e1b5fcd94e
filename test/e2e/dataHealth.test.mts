// The Data Health panel as a user meets it in code-server with the packaged VSIX: Check Dataset from a folder's
// Explorer menu on colour classes with one red image planted among the greens → the suspect shows, labelled green,
// suggested red → Move → the file is in red/ on disk → Undo Move puts it back, and the row says so. Screenshots land
// in test-results/e2e/health-*.png.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Frame } from 'playwright-core';
import { writeTinyDataset } from './fixtures/tinyDataset.js';
import { e2eTest, Session } from './session.mjs';

const VSIX = process.env.E2E_VSIX;
const STEP_MS = 180_000;
const PLANTED = 'red-07.png';

let root: string;
let workspace: string;
let session: Session | undefined;
let panel: Frame;
const step = e2eTest(() => session?.bench);
const inGreen = () => join(workspace, 'colors', 'green', PLANTED);
const inRed = () => join(workspace, 'colors', 'red', PLANTED);

/** Waits until `check` holds for the file system (which no UI state reports), looking every 100 ms. */
async function untilDisk(what: string, check: () => boolean, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await delay(100);
  }
}

before(async () => {
  assert.ok(VSIX && existsSync(VSIX), 'E2E_VSIX must name the packaged extension (npm run test:e2e packages it)');
  root = await mkdtemp(join(tmpdir(), 'transfer-lab-health-e2e-'));
  workspace = join(root, 'workspace');
  await writeTinyDataset(join(workspace, 'colors'));
  // the planted mislabel: a red picture filed as green
  await rename(join(workspace, 'colors', 'red', '07.png'), inGreen());
  session = await Session.open({ vsix: VSIX, workspace, profile: join(root, 'profile'), prefix: 'health' });
});

after(async () => {
  await session?.stop();
  if (root) await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

step('Check Dataset on a folder from the Explorer shows the planted mislabel first, labelled green and suggested red', { timeout: STEP_MS }, async () => {
  const bench = session!.bench;
  await bench.showExplorer();
  await bench.contextMenu(await bench.explorerRow('colors'), 'Check Dataset');
  panel = await bench.webview('li.finding', { timeout: 150_000 });
  const suspect = panel.locator('section[aria-labelledby="h-labelIssues"] li.finding').first();
  assert.match((await suspect.getAttribute('data-file')) ?? '', /green[\\/]red-07\.png$/, 'the planted file is the first suspect');
  assert.match(await suspect.innerText(), /labelled green → looks like red/);
  await suspect.locator('img.thumb').evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode()); // the thumbnail loads from the dataset folder
  assert.ok(await panel.getByText('Exclude is off: colors is a folder without an experiment').isVisible(), 'a bare folder says why Exclude is off');
  await bench.screenshot('panel');
});

step('Move to "red" renames the file into red/ (a workspace edit) and the row says so in place', { timeout: STEP_MS }, async () => {
  const bench = session!.bench;
  await panel.getByRole('button', { name: `Move green/${PLANTED} to red` }).click();
  await untilDisk('the file is in red/', () => existsSync(inRed()) && !existsSync(inGreen()));
  await panel.getByRole('button', { name: `Undo moving green/${PLANTED}` }).waitFor();
  await panel.getByText('Moved to red/').waitFor();
  await bench.screenshot('moved');
});

step('Undo Move on the row puts the file back in green/ (a rename back), and the row says so', { timeout: STEP_MS }, async () => {
  const bench = session!.bench;
  // VS Code's own Undo did not: Ctrl+Z with the Explorer focused left the file in red/ (code-server 4.99.4), so the
  // panel offers the way back
  await panel.getByRole('button', { name: `Undo moving green/${PLANTED}` }).click();
  await untilDisk('the file is back in green/', () => existsSync(inGreen()) && !existsSync(inRed()));
  await panel.getByText('Back in green/').waitFor();
  await panel.getByRole('button', { name: `Move green/${PLANTED} to red` }).waitFor(); // its actions are back
  await bench.screenshot('undone');
});
