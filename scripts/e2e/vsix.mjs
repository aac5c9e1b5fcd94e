// Builds the production bundles and packages a platform-specific VSIX (sharp ships native binaries per platform).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** VS Code's target names: linux-x64, darwin-arm64, win32-x64, alpine-x64 (musl) … */
export function vsceTarget() {
  const musl = process.platform === 'linux' && !process.report?.getReport().header.glibcVersionRuntime;
  return `${musl ? 'alpine' : process.platform}-${process.arch}`;
}

export function packageVsix() {
  const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
  const target = vsceTarget();
  const out = resolve(`${name}-${target}-${version}.vsix`);
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { stdio: 'inherit' });
  // no public repository yet: say so instead of letting vsce stop at an interactive prompt
  execFileSync(process.execPath, [resolve('node_modules/@vscode/vsce/vsce'), 'package', '--target', target, '--out', out, '--allow-missing-repository', '--no-rewrite-relative-links'], { stdio: 'inherit' });
  console.log(`${out}: ${(statSync(out).size / 1e6).toFixed(1)} MB`);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) packageVsix();
