// Reads a run folder into the dashboard's snapshot. Folder contents are workspace data, so nothing is trusted: every
// field is converted explicitly and the result is schema-checked before it is sent. No vscode import.
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { effectiveHistory, phaseEndings, readMetrics, readRunState, type MetricsRecord } from '../../../engine/runs';
import { EXPERIMENT_FILE } from '../../../shared/runLayout';
import { runKindOf } from '../../../shared/runSummary';
import { phaseName, type PhaseSpec } from '../../../protocol/experiment';
import { LIMITS, parse, phaseEnding, phaseView, runHeader, type BatchPoint, type EpochPoint, type PhaseEndingView, type PhaseView, type RunHeader, type RunSnapshot, type RunStateView } from '../../../protocol/webview';
import { readEvaluation, type ImageUri } from './evaluationRead';
import { countOf as count, metricOf, readJson, textOf as text } from './jsonFields';

/** The dashboard's epoch fields and the metrics.jsonl (and EpochMetrics) keys they come from. */
const EPOCH_KEYS = { loss: 'loss', accuracy: 'accuracy', valLoss: 'val_loss', valAccuracy: 'val_accuracy', learningRate: 'learningRate', seconds: 'seconds' } as const;
const BATCH_KEYS = ['loss', 'accuracy', 'learningRate', 'imagesPerSecond'] as const;

export function epochPointOf(r: Record<string, unknown>): EpochPoint {
  const point = { phaseIndex: Math.min(count(r.phaseIndex), LIMITS.phases), epoch: count(r.epoch) } as EpochPoint;
  for (const [key, from] of Object.entries(EPOCH_KEYS) as [keyof typeof EPOCH_KEYS, string][]) point[key] = metricOf(r[from]);
  return point;
}

export function batchPointOf(r: Record<string, unknown>): BatchPoint {
  const point = { phaseIndex: Math.min(count(r.phaseIndex), LIMITS.phases), epoch: count(r.epoch), batch: count(r.batch), batches: count(r.batches) } as BatchPoint;
  for (const key of BATCH_KEYS) point[key] = metricOf(r[key]);
  return point;
}

/** Batch records that survived resumes (those after a resume point were redone), deduplicated, at most `limit`. */
export function effectiveBatches(records: readonly MetricsRecord[], limit: number = LIMITS.batches): BatchPoint[] {
  const kept = new Map<string, MetricsRecord>();
  for (const r of records) {
    if (r.type === 'event' && r.event === 'resumed') {
      for (const [key, b] of kept) if (b.phaseIndex > r.phaseIndex || (b.phaseIndex === r.phaseIndex && b.epoch > r.epoch)) kept.delete(key);
    } else if (r.type === 'batch') {
      const key = `${r.phaseIndex}/${r.epoch}/${String(r.batch)}`;
      kept.delete(key); // re-insert so Map order stays the order of the latest write
      kept.set(key, r);
    }
  }
  const all = [...kept.values()].map(batchPointOf).sort((a, b) => a.phaseIndex - b.phaseIndex || a.epoch - b.epoch || a.batch - b.batch);
  const stride = Math.ceil(all.length / limit);
  return stride <= 1 ? all : all.filter((_, i) => i % stride === 0 || i === all.length - 1);
}

export function phaseViews(experiment: unknown): PhaseView[] {
  const phases = (experiment as { phases?: unknown } | undefined)?.phases;
  if (!Array.isArray(phases)) return [];
  return phases.slice(0, LIMITS.phases).flatMap((p: PhaseSpec, i) => {
    const view = { name: phaseName(p, i), epochs: count(p?.epochs), batchSize: count(p?.batchSize), learningRate: metricOf(p?.learningRate) ?? 0, trainable: p?.trainable };
    return parse(phaseView, view) ? [view as PhaseView] : [];
  });
}

/** Absolute dataset folders named by the run's experiment snapshot: the only places gallery images may come from. */
export function datasetRoots(experiment: unknown): string[] {
  const data = (experiment as { data?: Record<string, unknown> } | undefined)?.data ?? {};
  return [data.root, data.train, data.val, data.test].filter((p): p is string => typeof p === 'string' && isAbsolute(p));
}

/** Whether `path` (resolved, so `..` cannot escape) lies inside one of `roots`. */
export function insideRoots(roots: readonly string[], path: string): boolean {
  const file = resolve(path);
  return roots.some((root) => {
    const rel = relative(resolve(root), file);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  });
}

export function readRunHeader(runDir: string, experiment: unknown): RunHeader {
  const e = (experiment ?? {}) as { name?: unknown; base?: { model?: unknown } };
  const header: RunHeader = {
    run: basename(runDir).slice(0, 500), experiment: text(e.name) ?? '', kind: runKindOf(experiment), baseModel: text(e.base?.model) ?? '',
    dataset: datasetRoots(experiment)[0] ?? '', phases: phaseViews(experiment),
  };
  return parse(runHeader, header) ?? { ...header, phases: [] };
}

export async function readStateView(runDir: string): Promise<RunStateView> {
  try {
    const s = await readRunState(runDir);
    if (!s) return { state: 'running', message: 'the run has not written its state yet' };
    const view: RunStateView = { state: s.state };
    const fields = { phase: text(s.phase), epoch: Number.isInteger(s.epoch) ? s.epoch : undefined, engine: text(s.engine, 2000), preprocessing: text(s.preprocessing, 2000), message: text(s.message, 2000), startedAt: text(s.startedAt, 40), updatedAt: text(s.updatedAt, 40) };
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.assign(view, { [key]: value });
    return view;
  } catch (error) {
    return { state: 'failed', message: (error as Error).message.slice(0, 2000) };
  }
}

/** Phases that stopped early or ended on restored weights, as the dashboard shows them. */
export async function readEndings(runDir: string): Promise<PhaseEndingView[]> {
  return phaseEndingsOf(await readMetrics(runDir).catch(() => []));
}

function phaseEndingsOf(records: readonly MetricsRecord[]): PhaseEndingView[] {
  return phaseEndings(records).slice(0, LIMITS.phases).map((e): PhaseEndingView => ({
    phaseIndex: Math.min(count(e.phaseIndex), LIMITS.phases), epoch: count(e.epoch), plannedEpochs: count(e.plannedEpochs), stoppedEarly: e.stoppedEarly,
    ...(e.restoredEpoch !== undefined ? { restoredEpoch: e.restoredEpoch } : {}),
  })).filter((e) => parse(phaseEnding, e));
}

export async function readRunSnapshot(runDir: string, imageUri: ImageUri): Promise<RunSnapshot> {
  const experiment = await readJson(join(runDir, EXPERIMENT_FILE));
  const records = await readMetrics(runDir);
  const evaluation = await readEvaluation(runDir, imageUri);
  return {
    restoreKey: runDir, header: readRunHeader(runDir, experiment), state: await readStateView(runDir),
    epochs: effectiveHistory(records).slice(-LIMITS.epochs).map(epochPointOf), batches: effectiveBatches(records),
    ...(evaluation ? { evaluation } : {}), endings: phaseEndingsOf(records),
  };
}
