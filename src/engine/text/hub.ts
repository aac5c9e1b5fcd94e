// Finds a BERT checkpoint folder: a local folder as is, or a Hugging Face model id read from the standard Hugging
// Face cache ($HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub — the one Python's huggingface_hub and
// transformers share), downloaded into it once when missing: models--org--name/{blobs,snapshots/<commit>,refs}.
// Requests carry $HF_TOKEN (gated and private models) and go through the shared downloader (proxy, resume, sha256).
import { getHFHubCachePath, getRepoFolderName } from '@huggingface/hub';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { downloadToFile, request, type DownloadProgress } from '../net/download';
import { ModelError } from '../models/errors';
import { hubModelId } from './hubId';
import { CHECKPOINT_FILES, missingCheckpointFiles } from './textCatalog';

export { hubModelId } from './hubId';

export interface HubOptions {
  /** Transfer Lab's own cache (features, image models) for the callers that pass these options on; not Hugging Face's. */
  cacheDir: string;
  /** The Hugging Face cache folder; defaults to $HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub. */
  hubCache?: string;
  revision?: string;
  /** Defaults to $HF_ENDPOINT (Hugging Face's own override) or https://huggingface.co. */
  endpoint?: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

/** What the hub says about one file of a revision (from a HEAD request, as huggingface_hub does). */
interface FileMeta {
  file: string;
  commit: string;
  /** The blob's name in the cache: the git oid, or the sha256 of a large (LFS) file. */
  etag: string;
}

/** Tried in this order; the tokenizer files are optional but one of tokenizer.json and vocab.txt must exist. */
const FILES = [...CHECKPOINT_FILES.required, ...CHECKPOINT_FILES.tokenizer, 'tokenizer_config.json'];
const COMMIT = /^[0-9a-f]{40}$/;

function hubFileUrl(id: string, file: string, options: Pick<HubOptions, 'revision' | 'endpoint'> = {}): string {
  const endpoint = (options.endpoint ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
  return `${endpoint}/${id}/resolve/${encodeURIComponent(options.revision ?? 'main')}/${file}`;
}

async function isFolder(path: string): Promise<boolean> {
  return (await fs.stat(path).catch(() => undefined))?.isDirectory() === true;
}

/** $HF_TOKEN, else the token `huggingface-cli login` saved ($HF_TOKEN_PATH or $HF_HOME/token). */
async function hubToken(): Promise<string | undefined> {
  if (process.env.HF_TOKEN?.trim()) return process.env.HF_TOKEN.trim();
  const home = process.env.HF_HOME ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface');
  return (await fs.readFile(process.env.HF_TOKEN_PATH ?? join(home, 'token'), 'utf8').catch(() => '')).trim() || undefined;
}

/** The local folder holding the checkpoint's files; downloads them into the HF cache first when not there yet. */
export async function resolveCheckpointFolder(ref: string, options: HubOptions): Promise<{ folder: string; origin: string }> {
  if (await isFolder(ref)) return { folder: ref, origin: `local folder ${ref}` };
  const id = hubModelId(ref);
  if (!id) throw new ModelError('no such folder, and not a Hugging Face model id (owner/name)', ref, 'Give a folder with config.json and model.safetensors, or a model id such as google/bert_uncased_L-2_H-128_A-2');
  const revision = options.revision ?? 'main';
  if (revision.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new ModelError(`"${revision}" is not a revision`, ref, 'Set base.revision to a branch, tag or commit hash (or leave it out for main)');
  }
  const repo = join(options.hubCache ?? getHFHubCachePath(), getRepoFolderName({ name: id, type: 'model' }));
  const cached = await cachedSnapshot(repo, revision);
  if (cached) return { folder: cached, origin: `${id}@${revision} (cached in ${cached})` };
  const folder = await downloadSnapshot(id, repo, revision, options);
  return { folder, origin: `${id}@${revision} (downloaded from ${hubFileUrl(id, '', options)} into ${folder})` };
}

/** The snapshot folder of `revision` when it already holds a whole checkpoint: no request needed. */
async function cachedSnapshot(repo: string, revision: string): Promise<string | undefined> {
  const commit = COMMIT.test(revision) ? revision : (await fs.readFile(join(repo, 'refs', revision), 'utf8').catch(() => '')).trim();
  if (!COMMIT.test(commit)) return undefined;
  const folder = join(repo, 'snapshots', commit);
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  return names.length > 0 && missingCheckpointFiles(names).length === 0 ? folder : undefined;
}

async function downloadSnapshot(id: string, repo: string, revision: string, options: HubOptions): Promise<string> {
  const token = await hubToken();
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const metas: FileMeta[] = [];
  const missing: string[] = [];
  for (const file of FILES) {
    const meta = await fileMeta(id, file, headers, options, Boolean(token));
    if (meta) metas.push(meta);
    else missing.push(file);
  }
  if (missingCheckpointFiles(metas.map((m) => m.file)).length > 0) {
    throw new ModelError('has neither tokenizer.json nor vocab.txt', hubFileUrl(id, '', options), 'Choose a BERT model that ships its tokenizer');
  }
  const commit = metas[0].commit;
  for (const { file, etag } of metas) {
    const blob = join(repo, 'blobs', etag);
    // huggingface_hub's own partial-file name, so either tool resumes the other's interrupted download.
    await downloadToFile(hubFileUrl(id, file, options), blob, {
      file, partial: `${blob}.incomplete`, hash: /^[0-9a-f]{64}$/.test(etag) ? etag : undefined, headers,
      onProgress: options.onProgress, signal: options.signal, networkFix: offlineFix(id, options),
    });
  }
  // Pointers and refs are written last: a snapshot with its files is a complete one.
  const folder = join(repo, 'snapshots', commit);
  await fs.mkdir(folder, { recursive: true });
  for (const { file, etag } of metas) await linkBlob(repo, etag, join(folder, file));
  // huggingface_hub's record of files the revision lacks, so neither tool asks for them again.
  if (missing.length > 0) await fs.mkdir(join(repo, '.no_exist', commit), { recursive: true });
  for (const file of missing) await fs.writeFile(join(repo, '.no_exist', commit, file), '');
  if (revision !== commit) {
    await fs.mkdir(join(repo, 'refs', ...revision.split('/').slice(0, -1)), { recursive: true });
    await fs.writeFile(join(repo, 'refs', revision), commit);
  }
  return folder;
}

/** A relative symlink `snapshots/<commit>/<file>` → `../../blobs/<etag>`, as huggingface_hub writes; a copy where symlinks are not allowed. */
async function linkBlob(repo: string, etag: string, pointer: string): Promise<void> {
  await fs.rm(pointer, { force: true });
  await fs.symlink(join('..', '..', 'blobs', etag), pointer).catch(() => fs.copyFile(join(repo, 'blobs', etag), pointer));
}

/** HEAD without following the redirect to the CDN: its headers name the commit and the blob (sha256 for LFS files). */
async function fileMeta(id: string, file: string, headers: Record<string, string>, options: HubOptions, hasToken: boolean): Promise<FileMeta | undefined> {
  const url = hubFileUrl(id, file, options);
  const response = await request(url, { method: 'HEAD', redirect: 'manual', headers, signal: options.signal }, offlineFix(id, options));
  const required = (CHECKPOINT_FILES.required as readonly string[]).includes(file);
  if (response.status === 404 && !required) return undefined;
  if (response.status >= 400) throw new ModelError(`HTTP ${response.status} ${response.statusText}`, url, httpFix(id, file, response.status, hasToken));
  const commit = response.headers.get('x-repo-commit') ?? '';
  const etag = (response.headers.get('x-linked-etag') ?? response.headers.get('etag') ?? '').replace(/^W\//, '').replace(/"/g, '');
  if (!COMMIT.test(commit) || !/^[\w-]+$/.test(etag)) {
    throw new ModelError('the server did not name the commit and file version (X-Repo-Commit, ETag headers)', url, 'Check HF_ENDPOINT: it must be the Hugging Face hub or a mirror of it');
  }
  return { file, commit, etag };
}

function offlineFix(id: string, options: HubOptions): string {
  return `Connect to the internet and retry, or download config.json, model.safetensors and tokenizer.json (or vocab.txt) from ${hubFileUrl(id, '', options)} into a folder and set base.model to that folder. Behind a proxy, set HTTPS_PROXY (or VS Code's http.proxy)`;
}

function httpFix(id: string, file: string, status: number, hasToken: boolean): string {
  if (status === 401 || status === 403) {
    return hasToken
      ? `Your HF_TOKEN has no access to ${id}: accept the model's terms on its page with that account, or download it yourself and set base.model to its folder`
      : `The model is gated or private: set HF_TOKEN to a Hugging Face access token (huggingface.co/settings/tokens) that may read ${id}, or download it yourself and set base.model to its folder`;
  }
  if (status === 404 && file === 'model.safetensors') {
    return 'The model has no model.safetensors on this revision (PyTorch .bin files are not loaded: unpickling them can run code). '
      + 'Look on the model page for a safetensors conversion (a refs/pr/N revision) and set base.revision, or save the model with safetensors and point base.model at that folder';
  }
  return 'Check the model id and revision';
}
