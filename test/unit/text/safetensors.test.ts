import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors, readSafetensorsHeader, writeSafetensors } from '../../../src/engine/text/safetensors';
import { tempDir } from './fixtures';

/** A safetensors file from a header (object or raw text) and data bytes. */
function fileWith(header: unknown, data: Uint8Array = new Uint8Array(0), declaredLength?: bigint): string {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(declaredLength ?? BigInt(json.length));
  const file = join(tempDir('st'), 'model.safetensors');
  writeFileSync(file, Buffer.concat([prefix, json, data]));
  return file;
}

test('write then read: values, shapes and metadata survive; the header is 8-byte aligned as the format asks', async () => {
  const file = join(tempDir('st'), 'x.safetensors');
  const a = { name: 'b.weight', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, -6.5]) };
  const b = { name: 'a.bias', shape: [2], data: Float32Array.from([0.25, -0]) };
  await writeSafetensors(file, [a, b], { format: 'pt' });
  const header = await readSafetensorsHeader(file);
  assert.deepEqual([...header.entries.keys()], ['a.bias', 'b.weight'], 'sorted by name, as the Python library writes');
  assert.deepEqual(header.metadata, { format: 'pt' });
  assert.equal(Number(readFileSync(file).readBigUInt64LE(0)) % 8, 0);
  const read = await readSafetensors(file, ['b.weight', 'a.bias']);
  assert.deepEqual(read.get('b.weight'), { shape: [2, 3], data: a.data });
  assert.deepEqual(read.get('a.bias'), { shape: [2], data: b.data });
});

test('F16 and BF16 tensors are widened to float32 exactly', async () => {
  const halves = Uint16Array.from([0x3c00, 0xc000, 0x3800, 0x0001, 0x7c00]); // 1, -2, 0.5, 2^-24 (subnormal), +inf
  const brains = Uint16Array.from([0x3f80, 0xc0a0]); // 1, -5
  const data = new Uint8Array([...new Uint8Array(halves.buffer), ...new Uint8Array(brains.buffer)]);
  const file = fileWith({ h: { dtype: 'F16', shape: [5], data_offsets: [0, 10] }, b: { dtype: 'BF16', shape: [2], data_offsets: [10, 14] } }, data);
  const read = await readSafetensors(file, ['h', 'b']);
  assert.deepEqual(Array.from(read.get('h')!.data), [1, -2, 0.5, 2 ** -24, Infinity]);
  assert.deepEqual(Array.from(read.get('b')!.data), [1, -5]);
});

test('every header lie is caught before tensor memory is allocated, naming the tensor', async () => {
  const f32 = (shape: number[], offsets: number[]) => ({ dtype: 'F32', shape, data_offsets: offsets });
  const cases: [string, string, RegExp][] = [
    ['too short', (() => { const f = join(tempDir('st'), 's'); writeFileSync(f, Buffer.alloc(5)); return f; })(), /5 bytes is too short/],
    ['header longer than the file', fileWith({}, new Uint8Array(0), 1000n), /header length 1000 exceeds the file/],
    ['absurd header length', fileWith({}, new Uint8Array(0), 2n ** 63n), /exceeds the file/],
    ['header not JSON', fileWith('{"a": '), /header is not JSON/],
    ['header an array', fileWith('[1, 2]'), /not a JSON object/],
    ['unknown dtype', fileWith({ w: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), /"w" has unknown dtype "Q4"/],
    ['negative dimension', fileWith({ w: f32([-1], [0, 4]) }, new Uint8Array(4)), /"w" has shape \[-1\]/],
    ['offsets reversed', fileWith({ w: f32([1], [4, 0]) }, new Uint8Array(4)), /"w" has data_offsets \[4,0\]/],
    ['span not the shape\'s size', fileWith({ w: f32([2, 2], [0, 8]) }, new Uint8Array(16)), /"w" \[2,2\] F32 needs 16 bytes but its offsets span 8/],
    // 4 GB claimed by a 16-byte file: refused from the header alone.
    ['past the end (truncated download)', fileWith({ w: f32([1024 ** 3], [0, 4 * 1024 ** 3]) }, new Uint8Array(16)), /"w" ends at byte \d+, past the end/],
    ['overlapping tensors', fileWith({ a: f32([2], [0, 8]), b: f32([2], [4, 12]) }, new Uint8Array(12)), /"a" and "b" overlap/],
  ];
  for (const [what, file, message] of cases) {
    await assert.rejects(readSafetensorsHeader(file), (error: Error) => {
      assert.match(error.message, /not a valid safetensors file/, what);
      assert.match(error.message, message, what);
      return true;
    });
  }
});

test('asking for a tensor the file lacks, or for an integer buffer as a weight, is refused', async () => {
  const file = fileWith({ ids: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, new Uint8Array(16));
  await assert.rejects(readSafetensors(file, ['nope']), /no tensor named "nope"/);
  await assert.rejects(readSafetensors(file, ['ids']), /"ids" is I64, not a floating-point weight/);
});
