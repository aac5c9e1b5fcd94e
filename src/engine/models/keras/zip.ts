// Just enough of the zip format for .keras archives: list entries from the central directory, read stored or
// deflated ones (node:zlib) and check their CRC; write stored ones, as Keras' zipfile does. An archive is untrusted:
// no entry is inflated past its declared size, nor past the limit the caller knows it can sensibly have.
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createInflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import { ModelError } from '../errors';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export function listZip(zip: Buffer, file: string): ZipEntry[] {
  const bad = (problem: string) => new ModelError(problem, file, 'Use a .keras file written by model.save(); it may be damaged');
  // The end record sits in the last 22 bytes plus an optional comment of up to 64 KB.
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === EOCD) {
      end = at;
      break;
    }
  }
  if (end < 0) throw bad('is not a zip archive');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff) throw bad('is a zip64 archive, which is not supported');
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw bad('has a damaged zip directory');
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** What an entry can sensibly hold: refused past `bytes`, whatever its header declares. */
export interface EntryLimit {
  bytes: number;
  /** Names the bound in the refusal, e.g. "a model config". */
  what: string;
}

const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** The entry's stored bytes, refused before anything is inflated when it declares more than `limit`. */
function storedBytes(zip: Buffer, entry: ZipEntry, where: string, limit: EntryLimit | undefined): Buffer {
  if (limit && entry.size > limit.bytes) {
    throw new ModelError(`declares ${megabytes(entry.size)}, more than ${limit.what} can take up (${megabytes(limit.bytes)})`, where, 'This is not a Keras model as model.save() writes it (a damaged or hostile archive): do not load it');
  }
  const at = entry.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL) throw new ModelError('has a damaged zip entry', where, 'Save the model again');
  if (entry.method !== STORED && entry.method !== DEFLATED) {
    throw new ModelError(`uses zip compression method ${entry.method}; only stored and deflated entries are supported`, where, 'Re-zip it without compression, or save it again with model.save()');
  }
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  return zip.subarray(start, start + entry.compressedSize);
}

function checkWhole(size: number, crc: number, entry: ZipEntry, where: string): void {
  if (size !== entry.size || crc !== entry.crc) throw new ModelError('fails its zip CRC check', where, 'The file is damaged: save or copy it again');
}

function inflateError(error: unknown, entry: ZipEntry, where: string): ModelError {
  const tooBig = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
  return new ModelError(tooBig ? `inflates past its declared size of ${entry.size} bytes` : `cannot be inflated (${(error as Error).message})`, where, 'The file is damaged: save or copy it again', { cause: error });
}

/** An entry in memory: for small ones (a config). Inflates no further than the declared size, itself within `limit`. */
export function readZipEntry(zip: Buffer, entry: ZipEntry, file: string, limit?: EntryLimit): Buffer {
  const where = `${file} (${entry.name})`;
  const raw = storedBytes(zip, entry, where, limit);
  let data = raw;
  if (entry.method === DEFLATED) {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(entry.size, 1) });
    } catch (error) {
      throw inflateError(error, entry, where);
    }
  }
  checkWhole(data.length, crc32(data), entry, where);
  return data;
}

/** An entry streamed into `target` (for large ones: the weights), never held in memory whole; same bounds as readZipEntry. */
export async function extractZipEntry(zip: Buffer, entry: ZipEntry, file: string, target: string, limit: EntryLimit): Promise<void> {
  const where = `${file} (${entry.name})`;
  const raw = storedBytes(zip, entry, where, limit);
  let size = 0, crc = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      crc = crc32(chunk, crc);
      done(size > entry.size ? Object.assign(new Error('past the declared size'), { code: 'ERR_BUFFER_TOO_LARGE' }) : null, chunk);
    },
  });
  try {
    const source = Readable.from([raw]);
    const out = createWriteStream(target);
    await (entry.method === DEFLATED ? pipeline(source, createInflateRaw(), counted, out) : pipeline(source, counted, out));
  } catch (error) {
    // zlib's Z_* codes and the running limit are the archive's fault; a full disk is not
    const code = String((error as NodeJS.ErrnoException).code);
    throw code.startsWith('Z_') || code === 'ERR_BUFFER_TOO_LARGE' ? inflateError(error, entry, where) : error;
  }
  checkWhole(size, crc, entry, where);
}

/** A zip of `entries`: stored, as Keras writes .keras files, or deflated, as a re-zipping tool might. */
export function writeZip(entries: { name: string; data: Uint8Array }[], deflate = false): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  // MS-DOS date and time (local time, two-second steps), which zip tools show.
  const modified = new Date();
  const dosTime = (modified.getHours() << 11) | (modified.getMinutes() << 5) | (modified.getSeconds() >> 1);
  const dosDate = ((modified.getFullYear() - 1980) << 9) | ((modified.getMonth() + 1) << 5) | modified.getDate();
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const body = deflate ? deflateRawSync(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (offset + body.length >= 0xffffffff) throw new RangeError(`${name}: zip archives over 4 GiB (zip64) are not supported`);
    const fields = (header: Buffer, at: number) => {
      header.writeUInt16LE(deflate ? DEFLATED : STORED, at);
      header.writeUInt16LE(dosTime, at + 2);
      header.writeUInt16LE(dosDate, at + 4);
      header.writeUInt32LE(crc32(data), at + 6);
      header.writeUInt32LE(body.length, at + 10);
      header.writeUInt32LE(data.length, at + 14);
      header.writeUInt16LE(nameBytes.length, at + 18);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4); // version needed to extract: 2.0
    fields(local, 8);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    fields(central, 10);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
