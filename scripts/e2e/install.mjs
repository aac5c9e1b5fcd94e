// Installs what the browser end-to-end suite needs, once: Debian's Chromium and ripgrep, and code-server in a
// cache folder (never in the project's dependencies). Safe to run again: each step is skipped when done.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CODE_SERVER_VERSION = '4.99.4';
export const CACHE_DIR = resolve('.cache/e2e');
export const CHROMIUM = '/usr/bin/chromium';
const CODE_SERVER_DIR = join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_ENTRY = join(CODE_SERVER_DIR, 'node_modules/code-server/out/node/entry.js');

function run(command, args, options = {}) {
  console.log(`$ ${command} ${args.join(' ')}`);
  execFileSync(command, args, { stdio: 'inherit', ...options });
}

export function ensureSystemPackages() {
  if (existsSync(CHROMIUM) && existsSync('/usr/bin/rg')) return;
  if (process.getuid?.() !== 0) throw new Error('chromium and ripgrep are missing: run `apt-get install -y chromium libkrb5-dev ripgrep` as root');
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', 'chromium', 'libkrb5-dev', 'ripgrep'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** @vscode/ripgrep's install script downloads rg from GitHub unless its cache already holds the archive (offline CI). */
function seedRipgrepCache() {
  const cache = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const archive = join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (existsSync(archive) || !existsSync('/usr/bin/rg')) return;
  mkdirSync(cache, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'rg-'));
  copyFileSync('/usr/bin/rg', join(staging, 'rg'));
  run('tar', ['-czf', archive, '-C', staging, 'rg']);
}

export function ensureCodeServer() {
  if (existsSync(CODE_SERVER_ENTRY)) return CODE_SERVER_ENTRY;
  seedRipgrepCache();
  mkdirSync(CODE_SERVER_DIR, { recursive: true });
  // its own package.json stops npm from walking up into the project's
  writeFileSync(join(CODE_SERVER_DIR, 'package.json'), '{ "name": "e2e-code-server", "private": true }\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--prefix', CODE_SERVER_DIR, `code-server@${CODE_SERVER_VERSION}`], {
    env: { ...process.env, npm_config_yes: 'true', npm_config_unsafe_perm: 'true' },
  });
  if (!existsSync(CODE_SERVER_ENTRY)) throw new Error(`code-server installed but ${CODE_SERVER_ENTRY} is missing`);
  return CODE_SERVER_ENTRY;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  ensureSystemPackages();
  ensureCodeServer();
  console.log(`e2e tools ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
