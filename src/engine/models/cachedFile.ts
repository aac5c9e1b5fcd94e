// Where a downloaded file lives in the cache — apart from the downloader, so the extension can ask without bundling it.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Where `url` lives in the cache once downloaded: `<cacheDir>/<sha256(url)>/<file name>`. */
export function cachedFilePath(url: string, cacheDir: string): string {
  const name = path.posix.basename(new URL(url).pathname) || 'download';
  return path.join(cacheDir, createHash('sha256').update(url).digest('hex'), name);
}

export async function isCached(url: string, cacheDir: string): Promise<boolean> {
  return fs.access(cachedFilePath(url, cacheDir)).then(() => true, () => false);
}
