// The text of a file as spreadsheets and editors save it: UTF-8 (with or without a byte-order mark) or UTF-16 (Excel's
// "Unicode Text": little-endian with a mark; without one it is recognised by its NUL bytes). Anything else is refused:
// read as UTF-8 it would train on garbage labels.
import { DatasetError } from '../data/errors';

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Bytes looked at to recognise UTF-16 without a byte-order mark. */
const SNIFF_BYTES = 4096;

function byteOrderMark(bytes: Uint8Array): { encoding: Encoding; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/** Text in UTF-16 puts a NUL beside every ASCII character, always on the same side; UTF-8 text has no NULs at all. */
function utf16ByNuls(bytes: Uint8Array): Encoding | undefined {
  const pairs = Math.floor(Math.min(bytes.length, SNIFF_BYTES) / 2);
  let even = 0, odd = 0;
  for (let i = 0; i < pairs; i++) {
    if (bytes[2 * i] === 0) even++;
    if (bytes[2 * i + 1] === 0) odd++;
  }
  if (pairs === 0) return undefined;
  if (odd >= pairs * 0.3 && even <= pairs * 0.05) return 'utf-16le';
  if (even >= pairs * 0.3 && odd <= pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** 1-based line of the first line that is not valid UTF-8 (a line break byte never occurs inside a UTF-8 character). */
function firstBadLine(bytes: Uint8Array): number {
  const strict = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  for (let start = 0; start < bytes.length; line++) {
    const end = bytes.indexOf(0x0a, start);
    const stop = end < 0 ? bytes.length : end;
    try {
      strict.decode(bytes.subarray(start, stop));
    } catch {
      return line;
    }
    start = stop + 1;
  }
  return line;
}

/** The file's text without its byte-order mark; refuses bytes that are neither UTF-8 nor UTF-16, naming the line. */
export function decodeText(bytes: Uint8Array, file: string): string {
  const mark = byteOrderMark(bytes);
  const encoding = mark?.encoding ?? utf16ByNuls(bytes) ?? 'utf-8';
  const body = bytes.subarray(mark?.length ?? 0);
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const where = encoding === 'utf-8' ? `line ${firstBadLine(body)} is not UTF-8 text` : `is not valid ${encoding.toUpperCase()} text`;
    throw new DatasetError(file, `${where} (a legacy encoding such as Windows-1252 or Latin-1?)`, 'Save it as UTF-8 (Excel: "CSV UTF-8"; editors: "Save with encoding" → UTF-8) or as Excel\'s "Unicode Text"');
  }
}
