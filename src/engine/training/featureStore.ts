// On-disk cache of frozen-layer outputs, one file per image, so more epochs, a new head or a rerun never recompute them.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What makes a cached activation valid: change any of it and the cache misses. */
export interface FeatureKey {
  modelFingerprint: string;
  /** Layer (or pooled head input) whose output is stored. */
  output: string;
  inputSize: number;
  preprocessing: string;
  resize: 'fill';
  /** One cached augmented view (its distortions, seed and index); absent for the clean images. */
  view?: string;
}

/** The cache key of a base's frozen output: training and search read and write the same entries. */
export function frozenOutputKey(base: { fingerprint: string; inputSize: number; preprocessing: string }, output: string, view?: string): FeatureKey {
  return { modelFingerprint: base.fingerprint, output, inputSize: base.inputSize, preprocessing: base.preprocessing, resize: 'fill', ...(view ? { view } : {}) };
}

/** What a feature-extraction phase caches: the base's cut layer through the head's pooling. */
export const pooledOutput = (cutLayer: string, pooling: string) => `pooled:${cutLayer}:${pooling}`;

export function defaultCacheDir(): string {
  return process.env.TRANSFER_LAB_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'transfer-lab');
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function fileSha256(path: string): Promise<string> {
  return sha256(await readFile(path));
}

export class FeatureStore {
  readonly folder: string;

  constructor(readonly cacheDir: string, key: FeatureKey, readonly shape: number[]) {
    this.folder = join(cacheDir, 'features', sha256(JSON.stringify({ v: 1, ...key })).slice(0, 32));
  }

  get length(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  private pathOf(contentHash: string): string {
    return join(this.folder, contentHash.slice(0, 2), `${contentHash}.f32`);
  }

  /** The cached activation, or undefined when missing or of the wrong size (a torn write is a miss); other read errors
   * (permissions, I/O) are thrown as they are, naming the file, rather than passed off as a miss. */
  async get(contentHash: string): Promise<Float32Array | undefined> {
    const path = this.pathOf(contentHash);
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw Object.assign(new Error(`${path}: cannot read cached features (${error.code}) — check the cache folder's permissions, or delete ${this.folder} to rebuild it`, { cause: error }), { code: error.code });
    });
    if (!bytes || bytes.byteLength !== this.length * 4) return undefined;
    return new Float32Array(bytes.buffer, bytes.byteOffset, this.length).slice();
  }

  async has(contentHash: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(contentHash))).size === this.length * 4;
    } catch {
      return false;
    }
  }

  /** Temp file + rename: a killed writer leaves no partial entry under the real name. */
  async put(contentHash: string, values: Float32Array): Promise<void> {
    const path = this.pathOf(contentHash);
    await mkdir(join(this.folder, contentHash.slice(0, 2)), { recursive: true });
    const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    await rename(temp, path);
  }
}
