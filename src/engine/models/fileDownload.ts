// Downloads one large file (a Keras weights .h5) into the cache through the shared downloader (progress, cancel,
// Range resume, hash check before the file takes its final name) — so a cached file is a verified one.
import path from 'node:path';
import { downloadToFile, type DownloadProgress } from '../net/download';
import { cachedFilePath } from './cachedFile';

export interface FileDownloadOptions {
  cacheDir: string;
  /** Hex digest like Keras' `file_hash`: 64 characters = sha256, 32 = md5. */
  fileHash?: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

export async function downloadFile(url: string, opts: FileDownloadOptions): Promise<string> {
  const target = cachedFilePath(url, opts.cacheDir);
  await downloadToFile(url, target, { file: path.basename(target), hash: opts.fileHash, onProgress: opts.onProgress, signal: opts.signal, httpFix: () => 'Check the URL; the file may have moved' });
  return target;
}
