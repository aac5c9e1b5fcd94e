// An evaluation on another folder: how many of its images the run trained on (by content, so copies count), and
// the result kept in the run (evaluations/<folder>-<hash>.json) so the dashboard can show it beside the validation.
import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { EvaluationReport } from '../../protocol/host';
import type { Sample } from '../data';
import { EVALUATIONS_DIR, slugify, writeFileAtomic } from '../runs';
import { sha256 } from './featureStore';
import { FileHashes } from './fileHashes';

/** How many `samples` have the same bytes as one of `trained` (hashes are cached per folder, so reruns read little). */
export async function countTrainedOn(samples: readonly Sample[], trained: readonly Sample[], cacheDir: string): Promise<number> {
  const hashes = new FileHashes(cacheDir);
  const hashOf = (s: Sample) => hashes.hash(s.path).catch(() => undefined);
  const known = new Set((await Promise.all(trained.map(hashOf))).filter(Boolean));
  const overlap = (await Promise.all(samples.map(hashOf))).filter((h) => h && known.has(h)).length;
  await hashes.save();
  return overlap;
}

/** The run-relative file an evaluation of `folder` is kept in: named by the folder, unique by its full path. */
export function folderEvaluationFile(folder: string): string {
  const path = resolve(folder);
  return join(EVALUATIONS_DIR, `${slugify(basename(path)) || 'folder'}-${sha256(path).slice(0, 8)}.json`);
}

/** Writes the evaluation beside evaluation.json (a newer evaluation of the same folder replaces the older one). */
export async function keepFolderEvaluation(runDir: string, folder: string, report: EvaluationReport): Promise<string> {
  const file = folderEvaluationFile(folder);
  await mkdir(join(runDir, EVALUATIONS_DIR), { recursive: true });
  const { skipped: _skipped, ...data } = report;
  await writeFileAtomic(join(runDir, file), JSON.stringify({ folder: resolve(folder), evaluatedAt: new Date().toISOString(), data }));
  return file;
}
