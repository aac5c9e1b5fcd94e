// `npm run test:desktop`: the extension in desktop VS Code through @vscode/test-electron. Runs where VS Code can be
// had — VSCODE_EXECUTABLE names one, or it is downloaded (online) into .cache/e2e/vscode — and says plainly when skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { writeTinyDataset } from './fixtures/tinyDataset';

const VSCODE_VERSION = '1.99.3';

async function findVSCode(): Promise<{ path?: string; why?: string }> {
  const named = process.env.VSCODE_EXECUTABLE;
  if (named) return existsSync(named) ? { path: named } : { why: `VSCODE_EXECUTABLE=${named} does not exist` };
  try {
    return { path: await downloadAndUnzipVSCode({ version: VSCODE_VERSION, cachePath: resolve('.cache/e2e/vscode'), timeout: 15_000 }) };
  } catch (error) {
    return { why: `VS Code ${VSCODE_VERSION} could not be downloaded (${(error as Error).message}); set VSCODE_EXECUTABLE to a VS Code binary` };
  }
}

test('desktop VS Code: the extension activates, registers its commands and trains an experiment', { timeout: 600_000 }, async (t) => {
  if (process.platform === 'linux' && !process.env.DISPLAY) {
    t.skip('SKIPPED: no display for desktop VS Code (run under xvfb-run, or use npm run test:e2e)');
    return;
  }
  const vscode = await findVSCode();
  if (!vscode.path) {
    t.skip(`SKIPPED: ${vscode.why}`);
    return;
  }
  const workspace = await mkdtemp(join(tmpdir(), 'transfer-lab-desktop-'));
  t.after(() => rm(workspace, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));
  await writeTinyDataset(join(workspace, 'colors'));
  const phases = [{ name: 'feature-extraction', epochs: 2, batchSize: 8, trainable: { none: true } }, { name: 'fine-tune', epochs: 1, batchSize: 8, learningRate: 1e-4, trainable: { topBlocks: 1 } }];
  await writeFile(join(workspace, 'colors.experiment.json'), JSON.stringify({ name: 'colors', data: { root: 'colors', inputSize: 64 }, base: { model: 'nsfwjs_mobilenet_v2' }, phases }, null, 2));
  const code = await runTests({
    vscodeExecutablePath: vscode.path,
    extensionDevelopmentPath: resolve('.'),
    extensionTestsPath: resolve('test/e2e/desktop/suite.cjs'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
  assert.equal(code, 0);
});
