// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header, then raw tensor
// bytes. Everything the header claims is checked against the file before any tensor memory is allocated, so a
// corrupt or hostile file fails with a clear message instead of a huge allocation or an out-of-range read.
import { promises as fs } from 'node:fs';
import { ModelError } from '../models/errors';

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F64: 8, I64: 8, F32: 4, I32: 4, F16: 2, BF16: 2, I16: 2, I8: 1, U8: 1, BOOL: 1 };
/** The reference implementation's limit; a real BERT header is a few tens of KB. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export interface SafetensorsEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Absolute byte range in the file. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  entries: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
}

function invalid(file: string, problem: string): ModelError {
  return new ModelError(`not a valid safetensors file: ${problem}`, file, 'Download the file again, or re-save the checkpoint with the safetensors library');
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Parses and checks a header (JSON text) against the size of the data section that follows it. */
function parseHeader(json: string, dataStart: number, fileSize: number, file: string): SafetensorsHeader {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw invalid(file, `header is not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid(file, 'header is not a JSON object');
  const entries = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (name === '__metadata__') {
      metadata = value as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = (value ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) throw invalid(file, `tensor "${name}" has unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every(isCount)) throw invalid(file, `tensor "${name}" has shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
      throw invalid(file, `tensor "${name}" has data_offsets ${JSON.stringify(offsets)}`);
    }
    const count = shape.reduce((a: number, b: number) => a * b, 1);
    const bytes = count * DTYPE_BYTES[dtype as SafetensorsDtype];
    if (offsets[1] - offsets[0] !== bytes) throw invalid(file, `tensor "${name}" [${shape}] ${dtype} needs ${bytes} bytes but its offsets span ${offsets[1] - offsets[0]}`);
    if (dataStart + offsets[1] > fileSize) throw invalid(file, `tensor "${name}" ends at byte ${dataStart + offsets[1]}, past the end of the ${fileSize}-byte file (truncated download?)`);
    entries.set(name, { name, dtype: dtype as SafetensorsDtype, shape, begin: dataStart + offsets[0], end: dataStart + offsets[1] });
  }
  const sorted = [...entries.values()].sort((a, b) => a.begin - b.begin);
  sorted.forEach((entry, i) => {
    if (i > 0 && entry.begin < sorted[i - 1].end) throw invalid(file, `tensors "${sorted[i - 1].name}" and "${entry.name}" overlap`);
  });
  return { entries, metadata };
}

/** Reads only the header of a safetensors file. */
export async function readSafetensorsHeader(file: string): Promise<SafetensorsHeader> {
  const handle = await fs.open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new ModelError(`cannot read (${error.code})`, file, 'Check the path and its permissions');
  });
  try {
    const { size } = await handle.stat();
    if (size < 8) throw invalid(file, `${size} bytes is too short for a header`);
    const prefix = Buffer.alloc(8);
    await handle.read(prefix, 0, 8, 0);
    const length = prefix.readBigUInt64LE(0);
    if (length > BigInt(Math.min(MAX_HEADER_BYTES, size - 8))) throw invalid(file, `header length ${length} exceeds the file (${size} bytes) or the 100 MB limit`);
    const header = Buffer.alloc(Number(length));
    await handle.read(header, 0, header.length, 8);
    return parseHeader(header.toString('utf8'), 8 + header.length, size, file);
  } finally {
    await handle.close();
  }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Tensor bytes → float32 values; integer tensors (e.g. position_ids buffers) are not weights and are refused. */
function toFloat32(bytes: Uint8Array, dtype: SafetensorsDtype, name: string): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes.byteLength / DTYPE_BYTES[dtype];
  // Node runs only on little-endian platforms, so aligned F32 bytes already are the values.
  if (dtype === 'F32' && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, count);
  const out = new Float32Array(count);
  if (dtype === 'F32') for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  else if (dtype === 'F64') for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
  else if (dtype === 'F16') for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  else if (dtype === 'BF16') {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
  } else throw new RangeError(`tensor "${name}" is ${dtype}, not a floating-point weight`);
  return out;
}

/** Reads the named tensors as float32 (one positioned read each, so memory is what the tensors need). */
export async function readSafetensors(file: string, names: readonly string[]): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
  const { entries } = await readSafetensorsHeader(file);
  const handle = await fs.open(file, 'r');
  try {
    const out = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const name of names) {
      const entry = entries.get(name);
      if (!entry) throw new ModelError(`no tensor named "${name}"`, file, 'Use a checkpoint of the architecture its config.json describes');
      const bytes = new Uint8Array(entry.end - entry.begin);
      await handle.read(bytes, 0, bytes.length, entry.begin);
      out.set(name, { shape: entry.shape, data: toFloat32(bytes, entry.dtype, name) });
    }
    return out;
  } finally {
    await handle.close();
  }
}

/** Writes float32 tensors in name order (as the Python library does), 8-byte aligned header. */
export async function writeSafetensors(file: string, tensors: readonly { name: string; shape: number[]; data: Float32Array }[], metadata: Record<string, string> = {}): Promise<void> {
  const sorted = [...tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = Object.keys(metadata).length ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const { name, shape, data } of sorted) {
    if (shape.reduce((a, b) => a * b, 1) !== data.length) throw new RangeError(`tensor "${name}" has shape [${shape}] but ${data.length} values`);
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  const handle = await fs.open(file, 'w');
  try {
    await handle.write(prefix);
    await handle.write(Buffer.from(json, 'utf8'));
    // float32 in platform order, little-endian on every platform Node supports
    for (const { data } of sorted) await handle.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    await handle.sync();
  } finally {
    await handle.close();
  }
}
