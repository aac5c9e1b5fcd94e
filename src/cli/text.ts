// What the CLI needs for text runs: the texts `predict` was given, and terminal lines for predictions and scans.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { TextPrediction, TextScanResult } from '../engine/text';
import { printable } from './render';
import type { ClassBalance } from '../protocol/host';

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const PREVIEW_CHARS = 60;

/** Reads all of a stream as UTF-8 (stdin for `-`). */
async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

/**
 * Texts to classify: each `--text` value; each .txt file as one text; `-` as one text per non-empty line of stdin
 * (so `grep … | transfer-lab predict RUN -` classifies many).
 */
export async function readPredictTexts(texts: readonly string[], files: readonly string[], stdin: NodeJS.ReadableStream = process.stdin): Promise<string[]> {
  const out = [...texts];
  for (const file of files) {
    if (file === '-') out.push(...(await readAll(stdin)).split(/\r?\n/).filter((line) => line.trim() !== ''));
    else if (extname(file).toLowerCase() === '.txt') out.push(await readFile(file, 'utf8'));
    else throw new Error(`${file}: a text run classifies .txt files, "-" (stdin, one text per line) or --text "…"`);
  }
  if (out.length === 0) throw new Error('nothing to classify: give --text "…", a .txt file, or - to read lines from stdin');
  return out;
}

/** One line per text: its top classes, then the start of the text. */
export function textPredictionLines(predictions: readonly TextPrediction[]): string[] {
  return predictions.map((p) => {
    const flat = p.text.replace(/\s+/g, ' ').trim();
    const preview = flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
    const classes = p.top.map((t) => `${printable(t.label)} ${percent(t.confidence)}`).join(', ');
    return `${classes}  ← "${printable(preview)}"${p.truncated ? ' (only its start was read)' : ''}`;
  });
}

/** The scan of a text dataset: classes, how the columns were chosen, token lengths, problems by kind. */
export function textScanText(scan: TextScanResult & { classBalance?: ClassBalance }): string {
  const lines = [`${scan.root} (${scan.layout}): ${scan.classes.length} classes`];
  for (const name of scan.classes) lines.push(`  ${name}: ${scan.counts[name].train}`);
  if (scan.classBalance) lines.push(scan.classBalance.note);
  if (scan.columns) lines.push(`text column "${scan.columns.text}", label column "${scan.columns.label}" (${scan.columns.how === 'values' ? 'guessed from the values: name them with --text-column/--label-column if wrong' : scan.columns.how})`);
  if (scan.tokens) lines.push(`tokens per text: mean ${scan.tokens.mean.toFixed(1)}, 95th percentile ${scan.tokens.p95}, longest ${scan.tokens.longest}; ${scan.tokens.truncated} over maxLength ${scan.tokens.maxLength}`);
  const byKind = new Map<string, typeof scan.problems>();
  for (const problem of scan.problems) byKind.set(problem.kind, [...(byKind.get(problem.kind) ?? []), problem]);
  for (const [kind, problems] of byKind) {
    lines.push(`${kind}: ${problems.length}`);
    for (const p of problems.slice(0, 3)) lines.push(`  ${p.path}: ${p.message}`);
  }
  return lines.join('\n');
}
