// The one downloader every download uses (tfjs shards, Keras weights, Hugging Face files): through the proxy
// dispatcher, into a `.partial` file that survives failures and is resumed with an HTTP Range request, hash-checked
// when the hash is known, and renamed into place only when complete — so a file under its final name is a whole one.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { fetch, type RequestInit, type Response } from 'undici';
import { ModelError } from '../models/errors';
import { proxyDispatcher } from './proxy';

export interface DownloadProgress {
  file: string;
  loaded: number;
  total?: number;
}

export interface DownloadToFileOptions {
  /** The name progress events carry. */
  file: string;
  /** Where bytes collect until the file is complete; `<target>.partial` unless the cache layout names another. */
  partial?: string;
  /** Hex digest like Keras' `file_hash`: 64 characters = sha256, 32 = md5. */
  hash?: string;
  /** More bytes than this means the server sends something else (a manifest declared the size). */
  maxBytes?: number;
  headers?: Record<string, string>;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** What to do when the network fails; the default says to retry. */
  networkFix?: string;
  /** What to do about an HTTP error status. */
  httpFix?: (status: number) => string;
}

/** A broken connection resumes on its own this many times, as long as each attempt got further. */
const ATTEMPTS = 3;
const RETRY_FIX = 'Check your network connection (behind a proxy: HTTPS_PROXY, or VS Code\'s http.proxy) and try again: the download resumes where it stopped';

class ConnectionBroke extends ModelError {}

/** fetch through the proxy dispatcher; network failures become a ModelError naming the URL and the cause. */
export async function request(url: string, init: RequestInit & { signal?: AbortSignal }, networkFix = RETRY_FIX): Promise<Response> {
  return fetch(url, { ...init, dispatcher: proxyDispatcher() }).catch((error: unknown) => {
    if (init.signal?.aborted) throw error;
    const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new ModelError(`download failed (${reason})`, url, networkFix, { cause: error });
  });
}

/** Whether the server answers a HEAD request for `url` with success within `timeoutMs` (through the proxy). */
export async function answersHead(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await request(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Downloads `url` to `target` unless it is there already (a file under its final name is a complete one). */
export async function downloadToFile(url: string, target: string, opts: DownloadToFileOptions): Promise<void> {
  if (await fs.stat(target).catch(() => undefined)) return;
  const partial = opts.partial ?? `${target}.partial`;
  await fs.mkdir(dirname(partial), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const before = await sizeOf(partial);
    try {
      await fetchResuming(url, partial, opts);
      break;
    } catch (error) {
      if (!(error instanceof ConnectionBroke) || attempt >= ATTEMPTS || (await sizeOf(partial)) <= before) throw error;
    }
  }
  if (opts.hash) {
    const algorithm = opts.hash.length === 64 ? 'sha256' : 'md5';
    const actual = await hashFile(partial, algorithm);
    if (actual !== opts.hash.toLowerCase()) {
      await fs.rm(partial, { force: true }); // a wrong copy must not be resumed
      throw new ModelError(`${algorithm} mismatch: expected ${opts.hash}, got ${actual}`, url, 'Download it again; if it keeps failing, the server has a different file than expected');
    }
  }
  await fs.mkdir(dirname(target), { recursive: true });
  await fs.rename(partial, target);
}

const sizeOf = async (file: string): Promise<number> => (await fs.stat(file).catch(() => undefined))?.size ?? 0;

/** Appends to the partial when the server honours Range; starts over when it does not. The partial survives errors. */
async function fetchResuming(url: string, partial: string, opts: DownloadToFileOptions): Promise<void> {
  const have = await sizeOf(partial);
  // identity: a compressed body's byte offsets would not match the file's, so Range could not resume it.
  const headers = { 'accept-encoding': 'identity', ...opts.headers, ...(have > 0 ? { range: `bytes=${have}-` } : {}) };
  const response = await request(url, { signal: opts.signal, headers }, opts.networkFix);
  if (response.status === 416 && have > 0) {
    // The partial already holds the whole file (nothing lies past its end); the hash check decides.
    await response.body?.cancel();
    return;
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new ModelError(`HTTP ${response.status} ${response.statusText}`, url, opts.httpFix?.(response.status) ?? 'Check the URL; the file may have moved or need authorisation');
  }
  const range = response.status === 206 ? /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '') : null;
  const resumed = range !== null && Number(range[1]) === have;
  const start = resumed ? have : 0;
  const length = Number(response.headers.get('content-length'));
  const total = range && range[2] !== '*' ? Number(range[2]) : Number.isFinite(length) && length > 0 ? start + length : undefined;
  const handle = await fs.open(partial, resumed ? 'a' : 'w');
  let loaded = start;
  let failure: unknown;
  try {
    opts.onProgress?.({ file: opts.file, loaded, total });
    for await (const chunk of response.body) {
      loaded += chunk.length;
      if (opts.maxBytes !== undefined && loaded > opts.maxBytes) throw tooLarge(url);
      await handle.write(chunk);
      opts.onProgress?.({ file: opts.file, loaded, total });
    }
    await handle.sync();
  } catch (error) {
    failure = error;
  } finally {
    await handle.close();
  }
  if (failure instanceof ModelError) await fs.rm(partial, { force: true }); // too large: these bytes are not the file
  if (failure !== undefined && (opts.signal?.aborted || failure instanceof ModelError)) throw failure;
  if (failure !== undefined) {
    throw new ConnectionBroke(`the connection broke after ${loaded} of ${total ?? '?'} bytes (${(failure as Error).message})`, url, RETRY_FIX, { cause: failure });
  }
  if (total !== undefined && loaded !== total) {
    throw new ConnectionBroke(`the connection closed after ${loaded} of ${total} bytes`, url, RETRY_FIX);
  }
}

const tooLarge = (url: string): ModelError =>
  new ModelError('the server sends more bytes than the file should have', url, 'The server sends something other than this file; check the URL');

export function hashFile(file: string, algorithm: 'sha256' | 'md5'): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    createReadStream(file).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}
