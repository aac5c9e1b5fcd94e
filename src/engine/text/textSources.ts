// Reads labelled texts from what people have: a folder with one sub-folder of .txt files per class, or a CSV, TSV
// or JSONL file with a text and a label column (named by the caller, or found from the header or the values).
import { promises as fs } from 'node:fs';
import { extname, join } from 'node:path';
import type { TextColumn, TextFormat } from '../../protocol/experiment';
import { DatasetError } from '../data/errors';
import { parseDelimited, type DelimitedRecord } from './delimited';
import { decodeText } from './textEncoding';

export type { TextFormat } from '../../protocol/experiment';

export interface TextSourceSpec {
  /** A .csv/.tsv/.jsonl file, or a folder with one sub-folder of .txt files per class. */
  path: string;
  /** Detected from the path when omitted. */
  format?: TextFormat;
  /** Column name (header or JSON key), or 0-based column index in a file without a header. */
  textColumn?: TextColumn;
  labelColumn?: TextColumn;
}

export interface TextRecord {
  /** File path, with "#row<N>" (CSV/TSV: the 1-based line the record starts on) or "#line<N>" (JSONL) for one record of a file. */
  path: string;
  text: string;
  label: string;
}

export interface TextProblem {
  path: string;
  kind: 'bad-record' | 'missing-label' | 'unsupported-file' | 'empty-text' | 'duplicate-text' | 'conflicting-labels' | 'over-long';
  message: string;
}

export interface ColumnChoice {
  header: string[] | undefined;
  text: string;
  label: string;
  /** Said in the scan report so a wrong guess is easy to spot. */
  how: 'named' | 'header' | 'values';
  /** What data.textColumn/labelColumn can name, in file order (indices when there is no header). */
  choices: TextColumn[];
  /** The chosen columns as data.textColumn/labelColumn name them. */
  textColumn: TextColumn;
  labelColumn: TextColumn;
  /** Each choice's value in the first record, shortened: "column 0" alone says nothing of what it holds. */
  examples: string[];
}

const EXAMPLE_CHARS = 60;

/** A value as a column example: one line, at most EXAMPLE_CHARS characters. */
function example(value: unknown): string {
  const text = (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value)).replace(/\s+/g, ' ').trim();
  return text.length > EXAMPLE_CHARS ? `${text.slice(0, EXAMPLE_CHARS - 1)}…` : text;
}

export interface SourceRead {
  format: TextFormat;
  records: TextRecord[];
  problems: TextProblem[];
  columns?: ColumnChoice;
}

const TEXT_NAMES = ['text', 'sentence', 'content', 'message', 'review', 'body', 'document', 'comment', 'tweet', 'question', 'sms'];
const LABEL_NAMES = ['label', 'labels', 'class', 'category', 'target', 'sentiment', 'y', 'tag'];

async function detectFormat(path: string): Promise<TextFormat> {
  const stat = await fs.stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new DatasetError(path, error.code === 'ENOENT' ? 'not found' : `cannot read (${error.code})`, 'Check the path: a .csv/.tsv/.jsonl file or a folder of class folders with .txt files');
  });
  if (stat.isDirectory()) return 'folder';
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new DatasetError(path, `cannot tell the format of a "${ext}" file`, 'Set data.format to "csv", "tsv" or "jsonl", or rename the file');
}

export async function readTextSource(spec: TextSourceSpec): Promise<SourceRead> {
  const format = spec.format ?? (await detectFormat(spec.path));
  if (format === 'folder') return { format, ...(await readClassFolders(spec.path)) };
  const text = decodeText(await fs.readFile(spec.path), spec.path);
  if (format === 'jsonl') return { format, ...readJsonLines(spec, text) };
  return { format, ...readDelimited(spec, parseDelimited(text, { delimiter: format === 'csv' ? ',' : '\t', quoting: format === 'csv', file: spec.path })) };
}

async function readClassFolders(root: string): Promise<Omit<SourceRead, 'format'>> {
  const records: TextRecord[] = [];
  const problems: TextProblem[] = [];
  for (const entry of (await fs.readdir(root, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(root, entry.name);
    if (entry.name.startsWith('.')) continue;
    if (!entry.isDirectory()) {
      problems.push({ path, kind: 'unsupported-file', message: 'file outside any class folder; skipped. Move it into the sub-folder of its class' });
      continue;
    }
    const files = (await fs.readdir(path, { recursive: true })).map(String).sort();
    for (const file of files) {
      const full = join(path, file);
      if (file.split(/[\\/]/).some((part) => part.startsWith('.')) || (await fs.stat(full)).isDirectory()) continue;
      if (extname(file).toLowerCase() !== '.txt') problems.push({ path: full, kind: 'unsupported-file', message: 'not a .txt file; skipped' });
      else records.push({ path: full, text: decodeText(await fs.readFile(full), full), label: entry.name.normalize('NFC') });
    }
  }
  if (records.length === 0) throw new DatasetError(root, 'no .txt files in class folders', `Put one sub-folder per class with a .txt file per example, e.g. ${join(root, 'spam', '0001.txt')}`);
  return { records, problems };
}

function lookUp(header: string[], wanted: string | number, role: string, file: string): number {
  if (typeof wanted === 'number') {
    if (wanted < header.length) return wanted;
    throw new DatasetError(file, `${role} column ${wanted} does not exist (the file has ${header.length} columns, numbered from 0)`, `Set data.${role}Column to a column from 0 to ${header.length - 1}`);
  }
  const index = header.findIndex((name) => name.trim().toLowerCase() === wanted.toLowerCase());
  if (index < 0) throw new DatasetError(file, `no column named "${wanted}" (the header has ${header.map((h) => `"${h}"`).join(', ')})`, `Set data.${role}Column to one of those names`);
  return index;
}

/** Without names or a header: the label is the column with the fewest distinct values (two at least), the text the longest. */
function guessFromValues(rows: string[][]): { text: number; label: number } {
  const width = rows[0].length;
  // a constant column (a source, a language tag) cannot tell classes apart
  const distinct = Array.from({ length: width }, (_, c) => new Set(rows.map((r) => r[c])).size).map((n) => (n < 2 ? Infinity : n));
  const meanLength = Array.from({ length: width }, (_, c) => rows.reduce((sum, r) => sum + (r[c]?.length ?? 0), 0) / rows.length);
  const label = distinct.indexOf(Math.min(...distinct));
  const text = meanLength.map((m, c) => (c === label ? -1 : m)).reduce((best, m, c, all) => (m > all[best] ? c : best), 0);
  return { text, label };
}

function chooseColumns(spec: TextSourceSpec, records: DelimitedRecord[]): { text: number; label: number; choice: ColumnChoice; body: DelimitedRecord[] } {
  const first = records[0].fields.map((f) => f.trim());
  const named = [spec.textColumn, spec.labelColumn].filter((c) => typeof c === 'string') as string[];
  const hasHeader = named.length > 0 || first.some((cell) => TEXT_NAMES.includes(cell.toLowerCase()) || LABEL_NAMES.includes(cell.toLowerCase()));
  const header = hasHeader ? first : undefined;
  const body = hasHeader ? records.slice(1) : records;
  if (body.length === 0) throw new DatasetError(spec.path, 'has a header but no rows', 'Add one row per example');
  const byName = (names: string[]) => header?.findIndex((cell) => names.includes(cell.toLowerCase())) ?? -1;
  let text = spec.textColumn !== undefined ? lookUp(header ?? first, spec.textColumn, 'text', spec.path) : byName(TEXT_NAMES);
  let label = spec.labelColumn !== undefined ? lookUp(header ?? first, spec.labelColumn, 'label', spec.path) : byName(LABEL_NAMES);
  const how: ColumnChoice['how'] = spec.textColumn !== undefined && spec.labelColumn !== undefined ? 'named' : text >= 0 && label >= 0 ? 'header' : 'values';
  if (text < 0 || label < 0) {
    const guess = guessFromValues(body.map((r) => r.fields));
    if (text < 0) text = guess.text === label ? guess.label : guess.text;
    if (label < 0) label = guess.label === text ? guess.text : guess.label;
  }
  if (text === label) throw new DatasetError(spec.path, 'the text and label columns are the same column', 'Name two different columns in data.textColumn and data.labelColumn');
  const nameOf = (c: number) => header?.[c] ?? `column ${c}`;
  const choices = header ?? first.map((_, c) => c);
  const examples = choices.map((_, c) => example(body[0].fields[c]));
  return { text, label, body, choice: { header, text: nameOf(text), label: nameOf(label), how, choices, textColumn: choices[text], labelColumn: choices[label], examples } };
}

function readDelimited(spec: TextSourceSpec, all: DelimitedRecord[]): Omit<SourceRead, 'format'> {
  if (all.length === 0) throw new DatasetError(spec.path, 'is empty', 'Add a text and a label column, one row per example');
  const width = all[0].fields.length;
  if (width < 2) throw new DatasetError(spec.path, 'has a single column', 'Give each row a text and a label, separated by commas, semicolons or tabs');
  const { text, label, body, choice } = chooseColumns(spec, all);
  const records: TextRecord[] = [];
  const problems: TextProblem[] = [];
  for (const { fields, line } of body) {
    const path = `${spec.path}#row${line}`;
    // more fields than the first row: an unquoted delimiter inside a text, which would otherwise be cut there
    if (fields.length !== width) {
      problems.push({ path, kind: 'bad-record', message: `${fields.length} field${fields.length === 1 ? '' : 's'}, expected ${width}; skipped${fields.length > width ? ' (quote a text that holds the delimiter)' : ''}` });
    } else if (fields[label].trim() === '') {
      problems.push({ path, kind: 'missing-label', message: 'no label; skipped' });
    } else {
      records.push({ path, text: fields[text], label: fields[label].trim() });
    }
  }
  return { records, problems, columns: choice };
}

function readJsonLines(spec: TextSourceSpec, content: string): Omit<SourceRead, 'format'> {
  const records: TextRecord[] = [];
  const problems: TextProblem[] = [];
  const objects = content.split(/\r?\n/).map((line, i) => ({ line, path: `${spec.path}#line${i + 1}` })).filter(({ line }) => line.trim() !== '');
  const parsed: { path: string; value: Record<string, unknown> }[] = [];
  for (const { line, path } of objects) {
    try {
      const value = JSON.parse(line);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) parsed.push({ path, value });
      else problems.push({ path, kind: 'bad-record', message: 'not a JSON object; skipped' });
    } catch (error) {
      problems.push({ path, kind: 'bad-record', message: `not valid JSON (${(error as Error).message}); skipped` });
    }
  }
  if (parsed.length === 0) throw new DatasetError(spec.path, 'has no JSON object lines', 'Write one object per line, e.g. {"text": "…", "label": "spam"}');
  const keys = Object.keys(parsed[0].value);
  const pick = (wanted: string | number | undefined, names: string[], role: string) => {
    const key = wanted !== undefined ? String(wanted) : keys.find((k) => names.includes(k.toLowerCase()));
    if (!key) throw new DatasetError(spec.path, `cannot tell which key holds the ${role} (keys: ${keys.join(', ')})`, `Set data.${role}Column to the key`);
    return key;
  };
  const textKey = pick(spec.textColumn, TEXT_NAMES, 'text');
  const labelKey = pick(spec.labelColumn, LABEL_NAMES, 'label');
  for (const { path, value } of parsed) {
    const label = value[labelKey];
    if (typeof value[textKey] !== 'string') problems.push({ path, kind: 'bad-record', message: `"${textKey}" is not a string; skipped` });
    else if (label === undefined || label === null || String(label).trim() === '') problems.push({ path, kind: 'missing-label', message: `no "${labelKey}"; skipped` });
    else records.push({ path, text: value[textKey] as string, label: String(label).trim() });
  }
  const how = spec.textColumn !== undefined && spec.labelColumn !== undefined ? 'named' : 'header';
  const examples = keys.map((k) => example(parsed[0].value[k]));
  return { records, problems, columns: { header: keys, text: textKey, label: labelKey, how, choices: keys, textColumn: textKey, labelColumn: labelKey, examples } };
}

