// Starts code-server (installed by install.mjs) on a free 127.0.0.1 port with its own user data and extensions,
// and installs a VSIX into it. Used by the browser e2e suite and by `npm start` where desktop VS Code is missing.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CODE_SERVER_ENTRY } from './install.mjs';

/** Settings that keep a fresh profile quiet: no welcome page, tips, update checks or trust prompt on startup. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.startupPrompt': 'never',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function codeServerArgs(profile) {
  return ['--extensions-dir', join(profile, 'extensions'), '--user-data-dir', join(profile, 'user-data')];
}

export function installExtension(profile, vsixOrFolder) {
  execFileSync(process.execPath, [CODE_SERVER_ENTRY, ...codeServerArgs(profile), '--install-extension', vsixOrFolder, '--force'], { stdio: 'inherit' });
}

/** Writes the profile's settings; `extra` adds to the quiet defaults. */
export function writeSettings(profile, extra = {}) {
  const dir = join(profile, 'user-data', 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...extra }, null, 2));
}

/**
 * Starts code-server on `folder`. `trusted: false` leaves Workspace Trust on, so the folder opens in Restricted Mode.
 * Resolves once it answers HTTP; `stop()` ends it (SIGTERM, then SIGKILL after 5 s).
 */
export async function startCodeServer({ profile, folder, trusted = true, port, log = () => {} }) {
  port ??= await freePort();
  const args = [
    CODE_SERVER_ENTRY, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--config', join(profile, 'config.yaml'), ...codeServerArgs(profile),
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    ...(trusted ? ['--disable-workspace-trust'] : []), folder,
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: undefined } });
  child.stdout.on('data', (d) => log(String(d)));
  child.stderr.on('data', (d) => log(String(d)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode} before answering`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error('code-server did not answer within 60 s');
    await new Promise((r) => setTimeout(r, 250)); // polling an HTTP port: there is no event to wait on
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return { url, port, stop };
}
