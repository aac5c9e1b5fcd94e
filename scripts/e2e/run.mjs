// `npm run test:e2e`: installs the browser tools once (cached in .cache/e2e), packages the VSIX, then runs the
// browser suite with node's test runner, whose summary is the last thing printed.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { ensureCodeServer, ensureSystemPackages } from './install.mjs';
import { packageVsix } from './vsix.mjs';

ensureSystemPackages();
ensureCodeServer();
const vsix = process.env.E2E_VSIX ?? packageVsix();
rmSync('test-results/e2e', { recursive: true, force: true });
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', 'test/e2e/browser.test.mts'], {
  stdio: 'inherit',
  env: { ...process.env, E2E_VSIX: vsix },
});
process.exit(result.status ?? 1);
