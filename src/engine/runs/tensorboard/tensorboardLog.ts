// A run's TensorBoard event file, beside metrics.jsonl: the experiment as text, then each epoch's scalars, so
// `tensorboard --logdir runs` (and VS Code's TensorBoard integration) shows every run by its folder name.
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { PhaseSpec } from '../../../protocol/experiment';
import { tensorboardEventsFile } from '../../../shared/runLayout';
import { fileVersionEvent, scalarsEvent, sessionStartEvent, textEvent } from './eventProto';
import { tfRecord } from './records';

export const EXPERIMENT_TAG = 'experiment';

const now = () => Date.now() / 1000;
/** Tells apart two trainings of one run by one process within a second (a host that resumes at once). */
let opened = 0;

/**
 * The TensorBoard step of a phase's epoch: epochs count on across phases (as Keras' `initial_epoch` does), each phase
 * starting after the planned epochs of those before it, so a resumed run logs the same epoch at the same step.
 */
export function epochStep(phases: readonly Pick<PhaseSpec, 'epochs'>[], phaseIndex: number, epoch: number): number {
  return phases.slice(0, phaseIndex).reduce((sum, p) => sum + p.epochs, 0) + epoch;
}

/** Indented: TensorBoard renders text as markdown, and an indented block keeps the JSON as written. */
const asMarkdownCode = (value: unknown) => JSON.stringify(value, null, 2).split('\n').map((line) => `    ${line}`).join('\n');

export class TensorBoardLog {
  private constructor(private readonly file: string) {}

  /**
   * Starts a new event file in the run folder (each training its own, as TensorFlow does). A new run
   * logs its experiment; a resumed one marks where it restarts, so TensorBoard drops the epochs it redoes.
   */
  static async open(runDir: string, start: { experiment: unknown } | { resumedAtStep: number }): Promise<TensorBoardLog> {
    const log = new TensorBoardLog(join(runDir, tensorboardEventsFile(Math.floor(now()), hostname(), process.pid, ++opened)));
    const first = 'experiment' in start ? textEvent(now(), 0, EXPERIMENT_TAG, asMarkdownCode(start.experiment)) : sessionStartEvent(now(), start.resumedAtStep);
    await log.append([fileVersionEvent(now()), first]);
    return log;
  }

  scalars(step: number, scalars: Record<string, number>): Promise<void> {
    return this.append([scalarsEvent(now(), step, scalars)]);
  }

  private append(events: Uint8Array[]): Promise<void> {
    return fs.appendFile(this.file, Buffer.concat(events.map(tfRecord)));
  }
}
