// One checkpoint folder: weights.bin (float32 values back to back) + manifest.json describing and hashing them.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { fsyncDirectory, writeFileSynced } from './atomic';

export const WEIGHTS_FILE = 'weights.bin';
export const MANIFEST_FILE = 'manifest.json';
const BYTES_PER_VALUE = 4;

export interface CheckpointTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface CheckpointMeta {
  phase: string;
  phaseIndex: number;
  epoch: number;
  extra?: Record<string, unknown>;
}

/** offset and length count float32 values (not bytes) from the start of weights.bin. */
export interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  offset: number;
  length: number;
}

export interface CheckpointManifest extends CheckpointMeta {
  tag: string;
  createdAt: string;
  /** hex sha256 of weights.bin */
  sha256: string;
  tensors: TensorEntry[];
}

export interface LoadedCheckpoint {
  dir: string;
  manifest: CheckpointManifest;
  /** views into one buffer holding all of weights.bin */
  tensors: CheckpointTensor[];
}

/** A checkpoint file that is missing, unreadable or does not match its manifest. */
export class CheckpointError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`${file} is corrupt (${reason}); delete its checkpoint folder to resume from an earlier checkpoint`);
    this.name = 'CheckpointError';
  }
}

const valueCount = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);
const isCount = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;

/** Writes and fsyncs both files into dir (a fresh temp folder: publishing it is the caller's rename). */
export async function writeCheckpointFiles(
  dir: string, tag: string, tensors: readonly CheckpointTensor[], meta: CheckpointMeta, now: Date,
): Promise<CheckpointManifest> {
  const hash = createHash('sha256');
  const entries: TensorEntry[] = [];
  const handle = await fs.open(join(dir, WEIGHTS_FILE), 'w');
  try {
    let offset = 0;
    for (const { name, shape, data } of tensors) {
      if (valueCount(shape) !== data.length) {
        throw new RangeError(`tensor "${name}" has shape [${shape}] but ${data.length} values`);
      }
      // float32 in platform byte order, which is little-endian on every platform Node supports
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      hash.update(bytes);
      await handle.write(bytes);
      entries.push({ name, shape: [...shape], dtype: 'float32', offset, length: data.length });
      offset += data.length;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  const manifest: CheckpointManifest = {
    tag, ...meta, createdAt: now.toISOString(), sha256: hash.digest('hex'), tensors: entries,
  };
  await writeFileSynced(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  await fsyncDirectory(dir);
  return manifest;
}

async function readOrExplain(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CheckpointError(file, code === 'ENOENT' ? 'missing' : `unreadable: ${code ?? error}`);
  }
}

function manifestProblem(m: Partial<CheckpointManifest>): string | undefined {
  if (typeof m.tag !== 'string' || typeof m.phase !== 'string' || typeof m.createdAt !== 'string') {
    return 'tag, phase or createdAt is not a string';
  }
  if (!isCount(m.phaseIndex) || !isCount(m.epoch)) return 'phaseIndex or epoch is not a whole number';
  if (typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256)) return 'sha256 is not 64 hex digits';
  if (!Array.isArray(m.tensors)) return 'tensors is not a list';
  const bad = m.tensors.find((t: Partial<TensorEntry>) =>
    typeof t?.name !== 'string' || t.dtype !== 'float32' || !isCount(t.offset) || !isCount(t.length) ||
    !Array.isArray(t.shape) || !t.shape.every(isCount) || valueCount(t.shape) !== t.length);
  return bad ? `tensor entry ${JSON.stringify(bad)} is invalid` : undefined;
}

/** Reads and checks manifest.json without touching the (possibly large) weights. */
export async function readManifest(dir: string): Promise<CheckpointManifest> {
  const file = join(dir, MANIFEST_FILE);
  let parsed: unknown;
  try {
    parsed = JSON.parse((await readOrExplain(file)).toString('utf8'));
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(file, 'not valid JSON');
  }
  const problem = typeof parsed === 'object' && parsed !== null ? manifestProblem(parsed) : 'not a JSON object';
  if (problem) throw new CheckpointError(file, problem);
  return parsed as CheckpointManifest;
}

/** Loads a checkpoint folder, verifying sizes and sha256; throws CheckpointError naming the bad file. */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const manifest = await readManifest(dir);
  const file = join(dir, WEIGHTS_FILE);
  const totalValues = manifest.tensors.reduce((n, t) => Math.max(n, t.offset + t.length), 0);
  // copy into a fresh buffer: Float32Array views need 4-byte alignment, which a read buffer need not have
  const bytes = new Uint8Array(await readOrExplain(file));
  if (bytes.length !== totalValues * BYTES_PER_VALUE) {
    throw new CheckpointError(file, `${bytes.length} bytes, manifest expects ${totalValues * BYTES_PER_VALUE}`);
  }
  if (createHash('sha256').update(bytes).digest('hex') !== manifest.sha256) {
    throw new CheckpointError(file, 'sha256 mismatch');
  }
  const tensors = manifest.tensors.map((t) => ({
    name: t.name,
    shape: t.shape,
    data: new Float32Array(bytes.buffer, t.offset * BYTES_PER_VALUE, t.length),
  }));
  return { dir, manifest, tensors };
}
