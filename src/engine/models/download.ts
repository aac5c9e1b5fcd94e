// Downloads a tfjs Layers model (model.json + shards) into a cache folder once; later runs reuse it offline.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ModelError } from './errors';
import { checkShardFiles, checkWeightPath, declaredGroupBytes, parseModelJson } from './layersFiles';

export interface DownloadProgress {
  file: string;
  loaded: number;
  total?: number;
}

export interface DownloadOptions {
  cacheDir: string;
  /** Expected sha256 (hex) of model.json; the shards are pinned by the sizes it declares. */
  sha256?: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Returns the local folder holding model.json and its shards. */
export async function downloadModel(url: string, opts: DownloadOptions): Promise<string> {
  const folder = path.join(opts.cacheDir, sha256Hex(url));
  if (await isCompleteCopy(folder, opts.sha256)) return folder;
  await fs.mkdir(folder, { recursive: true });
  const jsonPart = path.join(folder, 'model.json.part');
  await fetchToFile(url, jsonPart, 'model.json', opts);
  try {
    const bytes = await fs.readFile(jsonPart);
    const actual = sha256Hex(bytes);
    if (opts.sha256 && actual !== opts.sha256.toLowerCase()) {
      throw new ModelError(`sha256 mismatch: expected ${opts.sha256}, got ${actual}`, url, 'Check the URL and the expected hash; the server may have changed the model');
    }
    const manifest = parseModelJson(bytes.toString('utf8'), url).weightsManifest;
    let remaining = declaredGroupBytes(manifest, url).reduce((a, b) => a + b, 0);
    for (const weightPath of manifest.flatMap((group) => group.paths)) {
      const shardUrl = shardUrlOf(url, checkWeightPath(weightPath, url));
      const target = path.join(folder, weightPath);
      await fs.mkdir(path.dirname(target), { recursive: true });
      remaining -= await fetchToFile(shardUrl, `${target}.part`, weightPath, opts, remaining);
      await fs.rename(`${target}.part`, target);
    }
    await checkShardFiles(folder, manifest, url);
    await fs.rename(jsonPart, path.join(folder, 'model.json'));
  } catch (error) {
    await fs.rm(jsonPart, { force: true });
    throw error;
  }
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

/** Streams a response body to `target` (deleted on any failure), reporting progress and stopping past `limit` bytes; returns the byte count. */
async function fetchToFile(url: string, target: string, file: string, opts: DownloadOptions, limit = Infinity): Promise<number> {
  const response = await fetch(url, { signal: opts.signal }).catch((error: unknown) => {
    if (opts.signal?.aborted) throw error;
    throw new ModelError(`download failed (${(error as Error).message})`, url, 'Check your network connection and the URL', { cause: error });
  });
  if (!response.ok || !response.body) {
    throw new ModelError(`HTTP ${response.status} ${response.statusText}`, url, 'Check the URL; the model may have moved or need authorisation');
  }
  const header = Number(response.headers.get('content-length'));
  const total = Number.isFinite(header) && header > 0 ? header : undefined;
  const handle = await fs.open(target, 'w');
  let loaded = 0;
  try {
    for await (const chunk of response.body) {
      loaded += chunk.length;
      if (loaded > limit) {
        throw new ModelError(`sent more weight bytes than its model.json declares`, url, 'The server sends something other than this model; check the URL');
      }
      await handle.write(chunk);
      opts.onProgress?.({ file, loaded, total });
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(target, { force: true });
    throw error;
  }
  await handle.close();
  return loaded;
}
