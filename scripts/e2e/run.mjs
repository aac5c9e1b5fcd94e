// `npm run test:e2e`: installs the browser tools once (cached in .cache/e2e), packages the VSIX, then runs the
// webview rendering and controls tests, the browser suite, the text flow and the Data Health panel, one after the other, with node's test runner: one
// summary, printed last, and a failing exit code when any file fails.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { ensureCodeServer, ensureSystemPackages } from './install.mjs';
import { packageVsix } from './vsix.mjs';

ensureSystemPackages();
ensureCodeServer();
const vsix = process.env.E2E_VSIX ?? packageVsix();
rmSync('test-results/e2e', { recursive: true, force: true });
const files = [
  'test/e2e/webviewRender.test.ts', 'test/e2e/webviewControls.test.ts', 'test/e2e/browser.test.mts', 'test/e2e/textFlow.test.mts',
  'test/e2e/dataHealth.test.mts', 'test/e2e/findBestSetup.test.mts',
];
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, E2E_VSIX: vsix },
});
process.exit(result.status ?? 1);
