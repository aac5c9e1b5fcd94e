// Downloads one large file (a Keras weights .h5) into the cache through the shared downloader (progress, cancel,
// Range resume, hash check before the file takes its final name) — so a cached file is a verified one.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { downloadToFile, type DownloadProgress } from '../net/download';

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
  await downloadToFile(url, target, { file: path.basename(target), hash: opts.fileHash, onProgress: opts.onProgress, signal: opts.signal, httpFix: () => 'Check the URL; the file may have moved' });
  return target;
}
