// One pass of the frozen base over a set of images (decode, forward, store), the way the engine computes features.
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { scanDataset, type Sample } from '../src/engine/data';
import { loadBaseModel } from '../src/engine/models/load';
import { ensureActivations, type ActivationJob } from '../src/engine/training/features';
import { FeatureStore } from '../src/engine/training/featureStore';
import { releaseAllPools } from '../src/engine/training/parallelPool';
import { frozenRecipe } from '../src/engine/training/parallelRecipe';

export async function samplesIn(...folders: string[]): Promise<Sample[]> {
  const scans = await Promise.all(folders.map((folder) => scanDataset(folder)));
  return scans.flatMap((scan) => scan.samples.train);
}

/** Seconds to compute and store the pooled base output of every sample into an empty store, and who computed it. */
export async function onePass(samples: Sample[], inputSize: number, batchSize: number, workers: ActivationJob['workers'], work: string): Promise<{ seconds: number; computedBy: string }> {
  const cacheDir = await mkdtemp(join(work, 'pass-'));
  const { model, info } = await loadBaseModel('nsfwjs_mobilenet_v2', { inputSize, cacheDir });
  const recipe = frozenRecipe('wasm', info, cacheDir, { pooling: 'avg' })!;
  const width = model.outputs[0].shape.at(-1)!;
  const store = new FeatureStore(cacheDir, { modelFingerprint: info.fingerprint, output: 'pooled', inputSize, preprocessing: info.preprocessing, resize: 'fill' }, [width]);
  await releaseAllPools();
  const started = performance.now();
  const result = await ensureActivations({ samples, store, frozenBase: { model, recipe }, workers, inputSize, preprocessing: info.preprocessing, batchSize });
  const seconds = (performance.now() - started) / 1000;
  await releaseAllPools();
  model.dispose();
  return { seconds, computedBy: result.computedBy };
}
