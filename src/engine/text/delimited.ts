// CSV records per RFC 4180, read by csv-parse (quoted fields may hold delimiters, doubled quotes and line breaks;
// a quote that never closes is an error, never a record that swallows the rest of the file) and TSV records (no
// quoting: tab-separated files such as the SMS spam set hold raw text that merely starts with a quote), each with
// the line it starts on so problems can point into the file. The delimiter is found from the file: `,`, tab or `;`
// (European Excel).
import { parse } from 'csv-parse/sync';
import { DatasetError } from '../data/errors';

export interface DelimitedRecord {
  fields: string[];
  /** 1-based line of the record's first character. */
  line: number;
}

export interface DelimitedOptions {
  /** The extension's; another candidate wins when the file's first lines split better under it. */
  delimiter: string;
  quoting: boolean;
  /** Named in errors. */
  file: string;
}

const CANDIDATES = [',', '\t', ';'];
/** Lines read to find the delimiter. */
const SNIFF_LINES = 50;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Offsets where each line starts (a line ends at LF, CRLF or a lone CR). */
function lineStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === LF || (bytes[i] === CR && bytes[i + 1] !== LF)) starts.push(i + 1);
  }
  return starts;
}

/** 1-based line holding byte `offset`. */
function lineAt(starts: number[], offset: number): number {
  let low = 0, high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

/** Where the quote that never closes opens: quotes open a field only at its start, as csv-parse reads them. */
function unclosedQuoteOffset(bytes: Uint8Array, delimiter: number): number {
  let open = -1, fieldStart = true;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (open >= 0) {
      if (c === QUOTE && bytes[i + 1] === QUOTE) i++;
      else if (c === QUOTE) open = -1;
    } else if (c === QUOTE && fieldStart) {
      open = i;
    } else {
      fieldStart = c === delimiter || c === LF || c === CR;
      continue;
    }
    fieldStart = false;
  }
  return open;
}

/** A record with `info: true`: `bytes` is where it ends (its line break included). */
interface ParsedRecord {
  record: string[];
  info: { bytes: number };
}

function read(bytes: Uint8Array, options: DelimitedOptions, toLine?: number): ParsedRecord[] {
  return parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    delimiter: options.delimiter, quote: options.quoting ? '"' : false, relax_quotes: true, relax_column_count: true,
    // any line ending, mixed too (csv-parse would otherwise keep the first one it meets)
    record_delimiter: ['\r\n', '\n', '\r'], skip_empty_lines: true, info: true, to_line: toLine,
  }) as unknown as ParsedRecord[];
}

/** The candidate under which the first lines split into the same number (2 or more) of fields most often; the given one on a tie. */
function sniffDelimiter(bytes: Uint8Array, options: DelimitedOptions): string {
  const score = (delimiter: string) => {
    try {
      const widths = read(bytes, { ...options, delimiter }, SNIFF_LINES).map((r) => r.record.length);
      return widths[0] > 1 ? widths.filter((w) => w === widths[0]).length : 0;
    } catch {
      return 0; // a short file with a quote left open: the full read names the line
    }
  };
  const scored = [options.delimiter, ...CANDIDATES.filter((c) => c !== options.delimiter)].map((delimiter) => ({ delimiter, score: score(delimiter) }));
  return scored.reduce((best, c) => (c.score > best.score ? c : best)).delimiter;
}

/** Records of `text`; `options.delimiter` (the extension's) gives way to another of `,`, tab and `;` that fits the file better. */
export function parseDelimited(text: string, options: DelimitedOptions): DelimitedRecord[] {
  const bytes = Buffer.from(text, 'utf8');
  const starts = lineStarts(bytes);
  const delimiter = sniffDelimiter(bytes, options);
  try {
    let end = 0;
    return read(bytes, { ...options, delimiter }).map(({ record, info }) => {
      let start = end;
      while (bytes[start] === LF || bytes[start] === CR) start++; // blank lines before the record
      end = info.bytes;
      return { fields: record, line: lineAt(starts, start) };
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // csv-parse's errors carry a CSV_* code (its sync bundle has its own CsvError class, so instanceof cannot tell)
    if (typeof code !== 'string' || !code.startsWith('CSV_')) throw error;
    if (code === 'CSV_QUOTE_NOT_CLOSED') {
      const line = lineAt(starts, unclosedQuoteOffset(bytes, delimiter.charCodeAt(0)));
      throw new DatasetError(options.file, `line ${line}: a quote opens here and never closes, so every row after it would be read as one text`, 'Close the quote, or double the quote ("") where a text holds one');
    }
    throw new DatasetError(options.file, (error as Error).message, 'Fix that line in a text editor, or save the file again from the spreadsheet');
  }
}
