// Downloads one large file (a Keras weights .h5) into the cache: progress, cancel, HTTP Range resume of an
// interrupted `.part`, and a hash check before the file takes its final name — so a cached file is a verified one.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { DownloadProgress } from './download';
import { ModelError } from './errors';

export interface FileDownloadOptions {
  cacheDir: string;
  /** Hex digest like Keras' `file_hash`: 64 characters = sha256, 32 = md5. */
  fileHash?: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

/** Where `url` lives in the cache once downloaded: `<cacheDir>/<sha256(url)>/<file name>`. */
export function cachedFilePath(url: string, cacheDir: string): string {
  const name = path.posix.basename(new URL(url).pathname) || 'download';
  return path.join(cacheDir, createHash('sha256').update(url).digest('hex'), name);
}

export async function isCached(url: string, cacheDir: string): Promise<boolean> {
  return fs.access(cachedFilePath(url, cacheDir)).then(() => true, () => false);
}

export async function downloadFile(url: string, opts: FileDownloadOptions): Promise<string> {
  const target = cachedFilePath(url, opts.cacheDir);
  if (await isCached(url, opts.cacheDir)) return target;
  await fs.mkdir(path.dirname(target), { recursive: true });
  const part = `${target}.part`;
  await fetchResuming(url, part, opts);
  if (opts.fileHash) {
    const algorithm = opts.fileHash.length === 64 ? 'sha256' : 'md5';
    const actual = await hashFile(part, algorithm);
    if (actual !== opts.fileHash.toLowerCase()) {
      await fs.rm(part, { force: true }); // a bad copy must not be resumed
      throw new ModelError(`${algorithm} mismatch: expected ${opts.fileHash}, got ${actual}`, url, 'Download it again; if it keeps failing, the server has a different file than the catalog expects');
    }
  }
  await fs.rename(part, target);
  return target;
}

/** Appends to an existing `.part` when the server honours Range; starts over when it does not. The part survives errors. */
async function fetchResuming(url: string, part: string, opts: FileDownloadOptions): Promise<void> {
  const have = (await fs.stat(part).catch(() => undefined))?.size ?? 0;
  const response = await fetch(url, { signal: opts.signal, headers: have > 0 ? { range: `bytes=${have}-` } : {} }).catch((error: unknown) => {
    if (opts.signal?.aborted) throw error;
    throw new ModelError(`download failed (${(error as Error).message})`, url, 'Check your network connection and try again; the download resumes where it stopped', { cause: error });
  });
  if (response.status === 416 && have > 0) {
    // The part already holds the whole file (the server cannot start past its end); the hash check decides.
    await response.body?.cancel();
    return;
  }
  if (!response.ok || !response.body) {
    throw new ModelError(`HTTP ${response.status} ${response.statusText}`, url, 'Check the URL; the file may have moved');
  }
  const resumed = response.status === 206 && response.headers.get('content-range')?.startsWith(`bytes ${have}-`) === true;
  const length = Number(response.headers.get('content-length'));
  const start = resumed ? have : 0;
  const total = Number.isFinite(length) && length > 0 ? start + length : undefined;
  const handle = await fs.open(part, resumed ? 'a' : 'w');
  let loaded = start;
  try {
    opts.onProgress?.({ file: path.basename(part, '.part'), loaded, total });
    for await (const chunk of response.body) {
      await handle.write(chunk);
      loaded += chunk.length;
      opts.onProgress?.({ file: path.basename(part, '.part'), loaded, total });
    }
    await handle.sync();
  } catch (error) {
    if (opts.signal?.aborted) throw error;
    throw new ModelError(`the connection broke after ${loaded} of ${total ?? '?'} bytes (${(error as Error).message})`, url, 'Try again: the download resumes where it stopped', { cause: error });
  } finally {
    await handle.close();
  }
  if (total !== undefined && loaded !== total) {
    throw new ModelError(`the connection closed after ${loaded} of ${total} bytes`, url, 'Try again: the download resumes where it stopped');
  }
}

export function hashFile(file: string, algorithm: 'sha256' | 'md5'): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    createReadStream(file).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}
