import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelError } from '../../../src/engine/models/errors';
import { listZip, readZipEntry, writeZip } from '../../../src/engine/models/keras/zip';

const FILE = '/models/untrusted.keras';

/** A deflated archive of one entry of `bytes` zeros, its directory then edited by `tamper`. */
function deflatedZeros(bytes: number, tamper: (zip: Buffer, centralAt: number) => void = () => undefined): Buffer {
  const zip = writeZip([{ name: 'config.json', data: new Uint8Array(bytes) }], true);
  tamper(zip, zip.readUInt32LE(zip.length - 22 + 16));
  return zip;
}

test('an entry that inflates past its declared size is refused as damaged, naming the file and entry', () => {
  // declares 16 bytes, inflates to 4 MB: a zip bomb must stop at the declared size, not allocate what it expands to
  const zip = deflatedZeros(4 * 2 ** 20, (z, at) => z.writeUInt32LE(16, at + 24));
  const [entry] = listZip(zip, FILE);
  assert.throws(() => readZipEntry(zip, entry, FILE), (error: Error) =>
    error instanceof ModelError && error.message.startsWith(`${FILE} (config.json): inflates past its declared size`));
});

test('a truncated deflate stream is a ModelError naming the file, not a bare zlib error', () => {
  // the directory claims fewer compressed bytes than the stream has, as a cut-off download would leave it
  const zip = deflatedZeros(1000, (z, at) => z.writeUInt32LE(2, at + 20));
  const [entry] = listZip(zip, FILE);
  assert.throws(() => readZipEntry(zip, entry, FILE), (error: Error) =>
    error instanceof ModelError && error.message.startsWith(`${FILE} (config.json): `));
});

test('a whole deflated entry still reads back', () => {
  const zip = deflatedZeros(1000);
  const [entry] = listZip(zip, FILE);
  assert.deepEqual(readZipEntry(zip, entry, FILE), Buffer.alloc(1000));
});
