// Finds a BERT checkpoint folder: a local folder as is, or a Hugging Face model id downloaded once into the cache
// (config.json, model.safetensors, tokenizer files) with progress; later runs use the cached copy offline.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ModelError } from '../models/errors';
import { CHECKPOINT_FILES } from './textCatalog';

export interface HubProgress {
  file: string;
  loaded: number;
  total?: number;
}

export interface HubOptions {
  cacheDir: string;
  revision?: string;
  /** Defaults to $HF_ENDPOINT (Hugging Face's own override) or https://huggingface.co. */
  endpoint?: string;
  onProgress?: (progress: HubProgress) => void;
  signal?: AbortSignal;
}

const MODEL_ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;
const COMPLETE_FILE = 'download-complete.json';
/** Optional files; at least one of tokenizer.json and vocab.txt must exist. */
const TOKENIZER_FILES = [...CHECKPOINT_FILES.tokenizer, 'tokenizer_config.json'];

/** "hf:owner/name" or "owner/name" (not an existing folder) names a model on the hub. */
export function hubModelId(ref: string): string | undefined {
  const id = ref.startsWith('hf:') ? ref.slice(3) : ref;
  return MODEL_ID.test(id) && !id.includes('..') ? id : undefined;
}

function hubFileUrl(id: string, file: string, options: Pick<HubOptions, 'revision' | 'endpoint'> = {}): string {
  const endpoint = (options.endpoint ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
  return `${endpoint}/${id}/resolve/${encodeURIComponent(options.revision ?? 'main')}/${file}`;
}

async function isFolder(path: string): Promise<boolean> {
  return (await fs.stat(path).catch(() => undefined))?.isDirectory() === true;
}

/** The local folder holding the checkpoint's files; downloads them first when `ref` is a hub id not yet cached. */
export async function resolveCheckpointFolder(ref: string, options: HubOptions): Promise<{ folder: string; origin: string }> {
  if (await isFolder(ref)) return { folder: ref, origin: `local folder ${ref}` };
  const id = hubModelId(ref);
  if (!id) throw new ModelError('no such folder, and not a Hugging Face model id (owner/name)', ref, 'Give a folder with config.json and model.safetensors, or a model id such as google/bert_uncased_L-2_H-128_A-2');
  const revision = options.revision ?? 'main';
  const folder = join(options.cacheDir, 'hub', ...id.split('/'), revision.replace(/[^\w.-]/g, '_'));
  if (await fs.stat(join(folder, COMPLETE_FILE)).catch(() => undefined)) return { folder, origin: `${id}@${revision} (cached in ${folder})` };
  await fs.mkdir(folder, { recursive: true });
  for (const file of CHECKPOINT_FILES.required) await download(id, file, folder, options, true);
  let tokenizerFiles = 0;
  for (const file of TOKENIZER_FILES) tokenizerFiles += (await download(id, file, folder, options, false)) ? 1 : 0;
  if (tokenizerFiles === 0) throw new ModelError('has neither tokenizer.json nor vocab.txt', hubFileUrl(id, '', options), 'Choose a BERT model that ships its tokenizer');
  await fs.writeFile(join(folder, COMPLETE_FILE), JSON.stringify({ id, revision, at: new Date().toISOString() }));
  return { folder, origin: `${id}@${revision} (downloaded from ${hubFileUrl(id, '', options)})` };
}

function notFoundAdvice(file: string): string {
  if (file === 'model.safetensors') {
    return 'The model has no model.safetensors on this revision (PyTorch .bin files are not loaded: unpickling them can run code). '
      + 'Look on the model page for a safetensors conversion (a refs/pr/N revision) and set base.revision, or save the model with safetensors and point base.model at that folder';
  }
  return 'Check the model id and revision';
}

/** Streams one file to `<name>.part`, checks its length (and sha256 when the hub names one), then renames it. */
async function download(id: string, file: string, folder: string, options: HubOptions, required: boolean): Promise<boolean> {
  const url = hubFileUrl(id, file, options);
  const target = join(folder, file);
  if (await fs.stat(target).catch(() => undefined)) return true;
  const response = await fetch(url, { signal: options.signal }).catch((error: unknown) => {
    if (options.signal?.aborted) throw error;
    const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new ModelError(`download failed (${reason})`, url, `Connect to the internet and retry, or download config.json, model.safetensors and tokenizer.json (or vocab.txt) from ${hubFileUrl(id, '', options)} into a folder and set base.model to that folder`, { cause: error });
  });
  if (response.status === 404 && !required) return false;
  if (!response.ok || !response.body) throw new ModelError(`HTTP ${response.status} ${response.statusText}`, url, response.status === 404 ? notFoundAdvice(file) : 'The model may be private or gated: download it yourself and set base.model to its folder');
  const declared = Number(response.headers.get('content-length')) || undefined;
  // The hub's ETag of a large (LFS) file is its sha256.
  const etag = (response.headers.get('x-linked-etag') ?? response.headers.get('etag') ?? '').replace(/^W\//, '').replace(/"/g, '');
  const expectedSha = /^[0-9a-f]{64}$/.test(etag) ? etag : undefined;
  const hash = createHash('sha256');
  const part = `${target}.part`;
  const handle = await fs.open(part, 'w');
  let loaded = 0;
  try {
    for await (const chunk of response.body) {
      loaded += chunk.length;
      hash.update(chunk);
      await handle.write(chunk);
      options.onProgress?.({ file, loaded, total: declared });
    }
    await handle.sync();
    await handle.close();
    if (declared !== undefined && loaded !== declared) throw new ModelError(`received ${loaded} of ${declared} bytes`, url, 'The connection broke; retry');
    if (expectedSha && hash.digest('hex') !== expectedSha) throw new ModelError('sha256 does not match the hub\'s', url, 'Retry the download; the file was corrupted on the way');
    await fs.rename(part, target);
    return true;
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.rm(part, { force: true });
    throw error;
  }
}
