// One build for every bundle: the CLI and training host (node), later the extension and webviews.
// Packages stay external for node bundles: tfjs-backend-wasm loads .wasm files beside its JS, sharp and
// tfjs-node are native addons, nsfwjs' weights are read from its folder.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const nodeBundles = {
  entryPoints: { cli: 'src/cli/main.ts', host: 'src/host/main.ts' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outdir: 'dist',
  packages: 'external',
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  minify: production,
  logLevel: 'warning',
};

const contexts = await Promise.all([nodeBundles].map((options) => esbuild.context(options)));
if (watch) {
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
}
