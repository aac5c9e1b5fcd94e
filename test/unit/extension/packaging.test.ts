import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';

const repo = join(__dirname, '..', '..', '..');

/** A package folder with the given files (package.json written from `manifest`). */
async function writePackage(dir: string, manifest: Record<string, unknown>, files: string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest));
  for (const file of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), '');
  }
}

test('.vscodeignore keeps the entry point and runtime files of tfjs-node (as installed where it downloads), and still drops browser builds', async () => {
  const project = await mkdtemp(join(tmpdir(), 'tl-vsix-'));
  await copyFile(join(repo, '.vscodeignore'), join(project, '.vscodeignore'));
  const ours = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8'));
  const tfjsNode = '@tensorflow/tfjs-node', tfjsCore = '@tensorflow/tfjs-core';
  await writePackage(project, { name: 'probe', publisher: 'probe', version: '0.0.1', engines: ours.engines, dependencies: { [tfjsNode]: '4.22.0', [tfjsCore]: '4.22.0' } }, []);
  // tfjs-node 4.22.0's package.json says "main": "dist/index.js"; index.js requires the backend and kernels beside it
  await writePackage(join(project, 'node_modules', tfjsNode), { name: tfjsNode, version: '4.22.0', main: 'dist/index.js' },
    ['dist/index.js', 'dist/index.d.ts', 'dist/nodejs_kernel_backend.js', 'dist/kernels/Add.js', 'lib/napi-v8/tfjs_binding.node']);
  await writePackage(join(project, 'node_modules', tfjsCore), { name: tfjsCore, version: '4.22.0', main: 'dist/tf-core.node.js' },
    ['dist/tf-core.node.js', 'dist/tf-core.esm.js', 'dist/tf-core.min.js']);

  const files = new Set(await listFiles({ cwd: project, packageManager: PackageManager.Npm }));
  const main = posix.join('node_modules', tfjsNode, 'dist/index.js');
  assert.ok(files.has(main), `${main} (tfjs-node's main) is packaged`);
  for (const file of ['dist/nodejs_kernel_backend.js', 'dist/kernels/Add.js', 'lib/napi-v8/tfjs_binding.node']) assert.ok(files.has(posix.join('node_modules', tfjsNode, file)), file);
  assert.ok(!files.has(posix.join('node_modules', tfjsNode, 'dist/index.d.ts')), 'type declarations stay out');
  assert.ok(files.has(posix.join('node_modules', tfjsCore, 'dist/tf-core.node.js')));
  assert.ok(!files.has(posix.join('node_modules', tfjsCore, 'dist/tf-core.esm.js')) && !files.has(posix.join('node_modules', tfjsCore, 'dist/tf-core.min.js')), 'browser builds stay out');
});
