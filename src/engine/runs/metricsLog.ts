// metrics.jsonl: append-only, fsynced per record; a crash can tear only the line being written, never earlier ones.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { METRICS_FILE } from '../../shared/runLayout';
import { serializedByPath } from './queue';

export interface MetricsRecord {
  type: 'epoch' | 'batch' | 'event';
  phase: string;
  /** position of the phase in the experiment, so phases order correctly whatever their names */
  phaseIndex: number;
  epoch: number;
  /** for type 'event': what happened, e.g. 'resumed' */
  event?: string;
  [key: string]: unknown;
}

const NEWLINE = 0x0a;

async function endsWithNewline(handle: fs.FileHandle): Promise<boolean> {
  const { size } = await handle.stat();
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === NEWLINE;
}

export function appendMetrics(runDir: string, record: MetricsRecord): Promise<void> {
  const file = join(runDir, METRICS_FILE);
  return serializedByPath(file, async () => {
    const handle = await fs.open(file, 'a+');
    try {
      // after a torn append, start on a fresh line so the new record is not glued to the broken one
      const prefix = (await endsWithNewline(handle)) ? '' : '\n';
      await handle.appendFile(`${prefix}${JSON.stringify(record)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
}

function isMetricsRecord(value: unknown): value is MetricsRecord {
  const r = value as Partial<MetricsRecord> | null;
  return (
    typeof r === 'object' && r !== null &&
    (r.type === 'epoch' || r.type === 'batch' || r.type === 'event') &&
    typeof r.phase === 'string' && typeof r.phaseIndex === 'number' && typeof r.epoch === 'number'
  );
}

/** Names records had before they took Keras' (runs written until issue 19): read as the new ones. */
const RENAMED: Record<string, string> = { valLoss: 'val_loss', valAccuracy: 'val_accuracy' };

function withCurrentNames(record: Record<string, unknown>): Record<string, unknown> {
  if (!Object.keys(RENAMED).some((old) => old in record)) return record;
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [RENAMED[key] ?? key, value]));
}

function parseLine(line: string): unknown {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? withCurrentNames(value as Record<string, unknown>) : value;
  } catch {
    return undefined;
  }
}

/** One line of metrics.jsonl as a record under today's names; undefined for a torn or foreign line. */
export function parseMetricsLine(line: string): MetricsRecord | undefined {
  const value = parseLine(line);
  return isMetricsRecord(value) ? value : undefined;
}

/** All complete records in order, under today's names; [] when there is no log yet. */
export async function readMetrics(runDir: string): Promise<MetricsRecord[]> {
  let text: string;
  try {
    text = await fs.readFile(join(runDir, METRICS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  // a torn line is the last one, or one a later append terminated: either way it fails to parse and is skipped
  return text.split('\n').flatMap((line) => parseMetricsLine(line) ?? []);
}

/** The record to append when training resumes from a checkpoint taken after `epoch` of phase `phaseIndex`. */
export function resumedEvent(phase: string, phaseIndex: number, epoch: number): MetricsRecord {
  return { type: 'event', event: 'resumed', phase, phaseIndex, epoch };
}

/** What early stopping did to a phase, for whoever reads the run later (dashboard, report, compare). */
export interface PhaseEnding {
  phaseIndex: number;
  phase: string;
  /** The last epoch that ran. */
  epoch: number;
  plannedEpochs: number;
  stoppedEarly: boolean;
  /** The epoch whose weights the phase ended with, when not its last one. */
  restoredEpoch?: number;
}

export const PHASE_ENDED_EVENT = 'phase-ended';

/** Logged when a phase ends early or on restored weights; a phase that ran as planned logs nothing. */
export function phaseEndedEvent(ending: PhaseEnding): MetricsRecord {
  const { restoredEpoch, ...rest } = ending;
  return { type: 'event', event: PHASE_ENDED_EVENT, ...rest, ...(restoredEpoch !== undefined ? { restoredEpoch } : {}) };
}

/** The phase endings logged in a run (the latest per phase: a resumed run may end a phase again). */
export function phaseEndings(records: readonly MetricsRecord[]): PhaseEnding[] {
  const byPhase = new Map<number, PhaseEnding>();
  for (const r of records) {
    if (r.type !== 'event' || r.event !== PHASE_ENDED_EVENT || typeof r.plannedEpochs !== 'number') continue;
    const restored = typeof r.restoredEpoch === 'number' ? { restoredEpoch: r.restoredEpoch } : {};
    byPhase.set(r.phaseIndex, { phaseIndex: r.phaseIndex, phase: r.phase, epoch: r.epoch, plannedEpochs: r.plannedEpochs, stoppedEarly: r.stoppedEarly === true, ...restored });
  }
  return [...byPhase.values()].sort((a, b) => a.phaseIndex - b.phaseIndex);
}

function isAfter(record: MetricsRecord, point: MetricsRecord): boolean {
  return record.phaseIndex > point.phaseIndex || (record.phaseIndex === point.phaseIndex && record.epoch > point.epoch);
}

/**
 * Epoch records as users should see them: epochs logged after the checkpoint a later resume restored are
 * dropped (they were redone), and any remaining repeat of a (phase, epoch) keeps only the latest.
 */
export function effectiveHistory(records: readonly MetricsRecord[]): MetricsRecord[] {
  let history: MetricsRecord[] = [];
  for (const record of records) {
    if (record.type === 'event' && record.event === 'resumed') {
      history = history.filter((kept) => !isAfter(kept, record));
    } else if (record.type === 'epoch') {
      history = history.filter((kept) => kept.phaseIndex !== record.phaseIndex || kept.epoch !== record.epoch);
      history.push(record);
    }
  }
  return history.sort((a, b) => a.phaseIndex - b.phaseIndex || a.epoch - b.epoch);
}
