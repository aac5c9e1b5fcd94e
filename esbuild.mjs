// One build for every bundle: CLI and training host (node), the extension (node, `vscode` external) and one
// browser bundle per webview (webview/<name>/main.ts → dist/webview/<name>.js).
// Node bundles keep packages external: tfjs-backend-wasm loads .wasm files beside its JS, sharp and tfjs-node
// are native addons, nsfwjs' weights are read from its folder.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import { writeSampleSubsets } from './scripts/sampleSubsets.mjs';
import { writeSimdLoops } from './scripts/simdLoops.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  minify: production,
  logLevel: 'warning',
};

const nodeBundles = {
  ...common,
  // parallelWorker: the frozen base's forward pass on a second core (worker_threads), loaded beside host.js.
  entryPoints: { cli: 'src/cli/main.ts', host: 'src/host/main.ts', parallelWorker: 'src/engine/training/parallelWorker.ts' },
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outdir: 'dist',
  packages: 'external',
};

// The extension host must start fast and never load TensorFlow.js: everything it needs is bundled, except vscode.
const extensionBundle = existsSync('src/extension/extension.ts') && {
  ...common,
  entryPoints: { extension: 'src/extension/extension.ts' },
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outdir: 'dist',
  external: ['vscode'],
};

const webviewEntries = existsSync('webview')
  ? Object.fromEntries(
      readdirSync('webview', { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(`webview/${entry.name}/main.ts`))
        .map((entry) => [entry.name, `webview/${entry.name}/main.ts`]),
    )
  : {};
const webviewBundles = Object.keys(webviewEntries).length > 0 && {
  ...common,
  entryPoints: webviewEntries,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  outdir: 'dist/webview',
  loader: { '.css': 'css' },
};

writeSampleSubsets('dist/samples');
await writeSimdLoops('src/engine/backend/simd/loops.wat', 'dist/transfer-lab-loops.wasm');
const contexts = await Promise.all([nodeBundles, extensionBundle, webviewBundles].filter(Boolean).map((options) => esbuild.context(options)));
if (watch) {
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
}
