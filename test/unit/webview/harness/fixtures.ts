// Real data for the harness: inspect results of real models and real run folders, made with the CLI once and cached
// under test-results/webview/work (set TL_HARNESS_RUNS to reuse a folder that already has an experiment's runs).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { InspectModelResult } from '../../../../src/protocol/host';
import { sharedData } from '../../fixtures/sharedData';

export const REPO = resolve(__dirname, '../../../..');
/** The photos the harness trains on and shows: TL_HARNESS_DATA, else the shared flowers set. */
export function harnessImages(): string {
  const images = process.env.TL_HARNESS_DATA ?? sharedData('flowers');
  if (!images) throw new Error('the webview harness needs photos: set TL_HARNESS_DATA to a folder of class folders, or put the flowers set in ../shared/data/flowers');
  return images;
}

export const WORK = resolve(process.env.TL_HARNESS_RUNS ?? join(REPO, 'test-results/webview/work'));
const cli = (...args: string[]) => execFileSync(process.execPath, [join(REPO, 'bin/transfer-lab.js'), ...args], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

export function inspectFixture(model: string, inputSize: number): InspectModelResult {
  const file = join(WORK, `${model}-${inputSize}.inspect.json`);
  if (!existsSync(file)) {
    mkdirSync(WORK, { recursive: true });
    writeFileSync(file, cli('inspect', model, '--input-size', String(inputSize), '--json').trim().split('\n').pop()!);
  }
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  return {
    id: raw.id, displayName: raw.id === 'nsfwjs_inception_v3' ? 'InceptionV3 (nsfwjs checkpoint, offline)' : 'MobileNetV2 1.0 (nsfwjs checkpoint, offline)',
    source: 'nsfwjs', origin: 'nsfwjs 4.4.0', inputSize: raw.input_size, preprocessing: 'mobilenet', featureLayer: raw.feature_layer,
    weights: raw.weights ?? 'nsfwjs checkpoint (offline)', params: raw.params, trainableParams: raw.trainable_params, layers: raw.layers,
  };
}

/** The experiment file and its run folders (newest first), training two short runs the first time. */
export function realRuns(): { experimentFile: string; runs: string[] } {
  const experimentFile = join(WORK, 'flowers.experiment.json');
  const runsDir = join(WORK, 'runs');
  if (!existsSync(experimentFile)) {
    mkdirSync(WORK, { recursive: true });
    cli('init', experimentFile, '--data', harnessImages(), '--input-size', '96', '--epochs', '4', '--fine-tune-epochs', '1');
  }
  while (!existsSync(runsDir) || readdirSync(runsDir).length < 2) cli('train', experimentFile);
  return { experimentFile, runs: readdirSync(runsDir).sort().reverse().map((d) => join(runsDir, d)) };
}
