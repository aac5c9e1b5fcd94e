// evaluation.json → the dashboard's evaluation view, with each image's webview URI when it may be shown, or the text.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EVALUATIONS_DIR } from '../../../engine/runs';
import { LIMITS, evaluationView, parse, type EvaluationSplit, type EvaluationView, type SampleView } from '../../../protocol/webview';
import { metricOf, readJson } from './jsonFields';

/** A displayable URI for an image file, or undefined when it lies outside the folders the panel may read. */
export type ImageUri = (path: string) => string | undefined;

export const EVALUATION_FILE = 'evaluation.json';

type Raw = Record<string, unknown>;
const rows = (v: unknown): Raw[] => (Array.isArray(v) ? v.filter((r): r is Raw => typeof r === 'object' && r !== null) : []);

function sampleOf(s: Raw, imageUri: ImageUri): SampleView {
  const path = typeof s.path === 'string' ? s.path.slice(0, LIMITS.path) : '';
  const image = path ? imageUri(path) : undefined;
  const text = typeof s.text === 'string' ? s.text.slice(0, LIMITS.text) : undefined;
  return { path, ...(image ? { image } : {}), ...(text !== undefined ? { text } : {}), label: Number(s.label), predicted: Number(s.predicted), confidence: metricOf(s.confidence) ?? 0 };
}

function splitOf(raw: unknown, imageUri: ImageUri): EvaluationSplit | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Raw;
  const macro = (r.macro ?? {}) as Raw;
  const split = {
    split: String(r.split ?? ''), classes: r.classes, count: r.count, accuracy: metricOf(r.accuracy),
    ...(r.loss !== undefined ? { loss: metricOf(r.loss) } : {}),
    confusionMatrix: r.confusionMatrix,
    perClass: rows(r.perClass).map((c) => ({ name: c.name, precision: metricOf(c.precision), recall: metricOf(c.recall), f1: metricOf(c.f1), support: c.support })),
    macro: { precision: metricOf(macro.precision), recall: metricOf(macro.recall), f1: metricOf(macro.f1) },
    samples: rows(r.samples).slice(0, LIMITS.samples).map((s) => sampleOf(s, imageUri)),
  };
  return split as EvaluationSplit;
}

/** Evaluations on other folders (Evaluate Run → Another folder…), newest first; unreadable files are left out. */
async function readFolderEvaluations(runDir: string, imageUri: ImageUri): Promise<EvaluationSplit[]> {
  const dir = join(runDir, EVALUATIONS_DIR);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
  const read = await Promise.all(names.map(async (name) => {
    const raw = (await readJson(join(dir, name))) as Raw | undefined;
    const split = splitOf(raw?.data, imageUri);
    if (!split || typeof raw?.folder !== 'string') return undefined;
    const trainedOn = (raw.data as Raw).trainedOn;
    const extra = { folder: raw.folder.slice(0, LIMITS.path), ...(Number.isInteger(trainedOn) && (trainedOn as number) >= 0 ? { trainedOn: trainedOn as number } : {}) };
    return { split: { ...split, ...extra }, at: String(raw.evaluatedAt ?? '') };
  }));
  return read.filter((r) => r !== undefined).sort((a, b) => b.at.localeCompare(a.at)).slice(0, LIMITS.runs).map((r) => r.split);
}

/** The run's evaluation, or undefined when it has none yet or the file does not have the expected shape. */
export async function readEvaluation(runDir: string, imageUri: ImageUri, reject?: (reason: string) => void): Promise<EvaluationView | undefined> {
  const raw = (await readJson(join(runDir, EVALUATION_FILE))) as Raw | undefined;
  const val = splitOf(raw?.val, imageUri);
  if (!val) return undefined;
  const test = splitOf(raw?.test, imageUri);
  const folders = await readFolderEvaluations(runDir, imageUri);
  return parse(evaluationView, { val, ...(test ? { test } : {}), ...(folders.length ? { folders } : {}) }, reject);
}

/** The folders earlier evaluations used: a dashboard may show their images too. */
export async function evaluatedFolders(runDir: string): Promise<string[]> {
  return ((await readFolderEvaluations(runDir, () => undefined)).map((s) => s.folder).filter((f): f is string => f !== undefined));
}
