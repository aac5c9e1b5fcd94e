// Runs every unit test file under test/unit with node's test runner (Node 20 has no --test glob for .ts), then says
// how many tests were skipped and why (scripts/skipReporter.mjs).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = process.argv.length > 2 ? process.argv.slice(2) : findTests('test/unit').sort();
const result = spawnSync(process.execPath, [
  '--import', 'tsx', '--test',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/skipReporter.mjs', '--test-reporter-destination=stdout',
  ...files,
], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
