// Downloads a tfjs Layers model (model.json + shards) into a cache folder once; later runs reuse it offline.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { downloadToFile, type DownloadProgress } from '../net/download';
import { ModelError } from './errors';
import { checkShardFiles, checkWeightPath, declaredGroupBytes, parseModelJson } from './layersFiles';


export interface DownloadOptions {
  cacheDir: string;
  /** Expected sha256 (hex) of model.json; the shards are pinned by the sizes it declares. */
  sha256?: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
const HTTP_FIX = () => 'Check the URL; the model may have moved or need authorisation';

/** Returns the local folder holding model.json and its shards. */
export async function downloadModel(url: string, opts: DownloadOptions): Promise<string> {
  const folder = path.join(opts.cacheDir, sha256Hex(url));
  if (await isCompleteCopy(folder, opts.sha256)) return folder;
  // model.json takes its name last: its presence marks a complete copy. Until then it waits as `.model.json`.
  const pending = path.join(folder, '.model.json');
  const common = { onProgress: opts.onProgress, signal: opts.signal, httpFix: HTTP_FIX };
  await downloadToFile(url, pending, { ...common, file: 'model.json', hash: opts.sha256 });
  const manifest = parseModelJson(await fs.readFile(pending, 'utf8'), url).weightsManifest;
  let remaining = declaredGroupBytes(manifest, url).reduce((a, b) => a + b, 0);
  for (const weightPath of manifest.flatMap((group) => group.paths)) {
    const shardUrl = shardUrlOf(url, checkWeightPath(weightPath, url));
    const target = path.join(folder, weightPath);
    await downloadToFile(shardUrl, target, { ...common, file: weightPath, maxBytes: remaining });
    remaining -= (await fs.stat(target)).size;
  }
  await checkShardFiles(folder, manifest, url);
  await fs.rename(pending, path.join(folder, 'model.json'));
  return folder;
}

/** Whether `url` is already complete in the cache, so loading it needs no network. */
export function isModelCached(url: string, cacheDir: string, sha256?: string): Promise<boolean> {
  return isCompleteCopy(path.join(cacheDir, sha256Hex(url)), sha256);
}

/** model.json is renamed into place last, so its presence plus shard sizes matching its manifest means complete. */
async function isCompleteCopy(folder: string, sha256?: string): Promise<boolean> {
  const file = path.join(folder, 'model.json');
  try {
    const bytes = await fs.readFile(file);
    if (sha256 && sha256Hex(bytes) !== sha256.toLowerCase()) return false;
    await checkShardFiles(folder, parseModelJson(bytes.toString('utf8'), file).weightsManifest, file);
    return true;
  } catch {
    return false;
  }
}

/** Shards resolve against model.json's URL and must stay in its folder on the same host. */
function shardUrlOf(modelUrl: string, weightPath: string): string {
  const base = new URL(modelUrl);
  const shard = new URL(weightPath, base);
  const folder = base.pathname.slice(0, base.pathname.lastIndexOf('/') + 1);
  if (shard.origin !== base.origin || !shard.pathname.startsWith(folder)) {
    throw new ModelError(`weight path "${weightPath}" leaves the model's folder (${shard.href})`, modelUrl, 'Use a model whose shards sit next to its model.json');
  }
  return shard.href;
}
