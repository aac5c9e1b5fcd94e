// A TensorBoard event-file reader written from the formats' specs, independent of the writer's libraries: TFRecord
// framing (tensorflow/core/lib/io/record_writer.cc) with CRC32C checked, protobuf wire format decoded by hand.

const CASTAGNOLI = 0x82f63b78;
const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CASTAGNOLI : c >>> 1;
  return c >>> 0;
});

export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = (TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8)) >>> 0;
  return (crc ^ 0xffffffff) >>> 0;
}

const masked = (crc: number) => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;

/** Every record's data; throws on a bad length CRC, a bad data CRC or a truncated record. */
export function readRecords(file: Buffer): Buffer[] {
  const records: Buffer[] = [];
  for (let at = 0; at < file.length;) {
    if (at + 12 > file.length) throw new Error(`truncated header at byte ${at}`);
    const length = Number(file.readBigUInt64LE(at));
    if (file.readUInt32LE(at + 8) !== masked(crc32c(file.subarray(at, at + 8)))) throw new Error(`bad length CRC at byte ${at}`);
    const data = file.subarray(at + 12, at + 12 + length);
    if (data.length !== length || at + 16 + length > file.length) throw new Error(`truncated record at byte ${at}`);
    if (file.readUInt32LE(at + 12 + length) !== masked(crc32c(data))) throw new Error(`bad data CRC at byte ${at}`);
    records.push(data);
    at += 16 + length;
  }
  return records;
}

type Field = { number: number; wire: number; varint?: bigint; bytes?: Buffer; fixed64?: Buffer; fixed32?: Buffer };

function varint(buf: Buffer, at: number): [bigint, number] {
  let value = 0n, shift = 0n;
  for (;;) {
    const b = buf[at++];
    value |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return [value, at];
    shift += 7n;
  }
}

/** The fields of one protobuf message, in wire order. */
export function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  for (let at = 0; at < buf.length;) {
    const [key, next] = varint(buf, at);
    at = next;
    const field: Field = { number: Number(key >> 3n), wire: Number(key & 7n) };
    if (field.wire === 0) [field.varint, at] = varint(buf, at);
    else if (field.wire === 1) {
      field.fixed64 = buf.subarray(at, at + 8);
      at += 8;
    } else if (field.wire === 5) {
      field.fixed32 = buf.subarray(at, at + 4);
      at += 4;
    } else if (field.wire === 2) {
      const [length, start] = varint(buf, at);
      field.bytes = buf.subarray(start, start + Number(length));
      at = start + Number(length);
    } else throw new Error(`wire type ${field.wire} not expected in an event`);
    out.push(field);
  }
  return out;
}

export interface DecodedValue {
  tag: string;
  simpleValue?: number;
  /** A string tensor's values (tensor.string_val). */
  strings?: string[];
  dtype?: number;
  pluginName?: string;
}

export interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  sessionStatus?: number;
  values: DecodedValue[];
}

const one = (fs: Field[], n: number) => fs.find((f) => f.number === n);

function decodeValue(buf: Buffer): DecodedValue {
  const fs = fields(buf);
  const value: DecodedValue = { tag: one(fs, 1)?.bytes?.toString('utf8') ?? '' };
  const simple = one(fs, 2)?.fixed32;
  if (simple) value.simpleValue = simple.readFloatLE(0);
  const tensor = one(fs, 8)?.bytes;
  if (tensor) {
    const tf = fields(tensor);
    value.dtype = Number(one(tf, 1)?.varint ?? 0n);
    value.strings = tf.filter((f) => f.number === 8).map((f) => f.bytes!.toString('utf8'));
  }
  const metadata = one(fs, 9)?.bytes;
  const plugin = metadata && one(fields(metadata), 1)?.bytes;
  if (plugin) value.pluginName = one(fields(plugin), 1)?.bytes?.toString('utf8');
  return value;
}

export function decodeEvent(buf: Buffer): DecodedEvent {
  const fs = fields(buf);
  const summary = one(fs, 5)?.bytes;
  const session = one(fs, 6)?.bytes;
  return {
    wallTime: one(fs, 1)?.fixed64?.readDoubleLE(0) ?? 0,
    step: Number(one(fs, 2)?.varint ?? 0n),
    fileVersion: one(fs, 3)?.bytes?.toString('utf8'),
    sessionStatus: session ? Number(one(fields(session), 1)?.varint ?? 0n) : undefined,
    values: summary ? fields(summary).filter((f) => f.number === 1).map((f) => decodeValue(f.bytes!)) : [],
  };
}

export const readEvents = (file: Buffer) => readRecords(file).map(decodeEvent);
