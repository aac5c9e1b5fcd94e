// `npm start`: the extension from this folder on the sample workspace — desktop VS Code when `code` is on PATH
// (--extensionDevelopmentPath), otherwise code-server on 127.0.0.1 with this folder linked in as the extension.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve('.');
const workspace = join(root, 'sample-workspace');

execFileSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
if (!existsSync(workspace) || !readdirSync(workspace).some((f) => f.endsWith('.experiment.json'))) {
  execFileSync(process.execPath, ['bin/transfer-lab.js', 'sample', workspace, '--no-train'], { stdio: 'inherit' });
}

const onPath = (command) => spawnSync(process.platform === 'win32' ? 'where' : 'which', [command], { stdio: 'ignore' }).status === 0;

if (onPath('code')) {
  spawnSync('code', [`--extensionDevelopmentPath=${root}`, workspace], { stdio: 'inherit', shell: process.platform === 'win32' });
  console.log(`opened ${workspace} in VS Code with the extension from ${root}`);
} else {
  const { ensureCodeServer } = await import('./e2e/install.mjs');
  const { startCodeServer, writeSettings } = await import('./e2e/codeServer.mjs');
  ensureCodeServer();
  const profile = join(root, '.cache', 'e2e', 'start-profile');
  const { publisher, name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
  const extensions = join(profile, 'extensions');
  // code-server has no --extensionDevelopmentPath: an extension folder named publisher.name-version is picked up
  rmSync(extensions, { recursive: true, force: true });
  mkdirSync(extensions, { recursive: true });
  symlinkSync(root, join(extensions, `${publisher}.${name}-${version}`), 'dir');
  writeSettings(profile);
  const server = await startCodeServer({ profile, folder: workspace, port: process.env.PORT ? Number(process.env.PORT) : undefined });
  console.log(`\ncode-server with Transfer Lab: ${server.url}\n(Ctrl+C stops it; rebuild with \`node esbuild.mjs --watch\` and reload the page)`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
