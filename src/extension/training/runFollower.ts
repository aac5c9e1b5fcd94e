// Follows the runs this window's host is not training — a `transfer-lab train` in the terminal, another window: told
// (by VS Code's file watcher) that a run's metrics.jsonl or state.json changed, it reads what was appended and the new
// state, and emits them as the events this window's own host sends, so the dashboard, the status bar and the tree
// show those runs live too. No vscode import: unit-tested against a real CLI run.
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { MetricsTail } from '../../engine/runs/metricsTail';
import { readRunState } from '../../engine/runs/state';
import type { BatchMetrics, EpochMetrics } from '../../protocol/host';
import { EXPERIMENT_FILE, METRICS_FILE } from '../../shared/runLayout';
import { parseExperimentText, phasePlan } from '../experiments/experimentText';
import { Emitter, type Disposable } from '../util/emitter';
import type { RunEvent } from '../webviews/services';
import { RunProgress } from './runProgress';

/** One followed run: where its log was read to, the last state seen, and its progress for the status bar. */
interface FollowedRun {
  tail: MetricsTail;
  progress: Promise<RunProgress>;
  stateStamp?: string;
  /** Not read yet: a run first seen already finished (this window's own, just ended) has no history to replay. */
  fresh: boolean;
  /** The read under way, and whether another change came in meanwhile (one more read then covers it). */
  reading?: Promise<void>;
  again: boolean;
}

async function progressOf(runDir: string): Promise<RunProgress> {
  const file = join(runDir, EXPERIMENT_FILE);
  const progress = await readFile(file, 'utf8').then((text) => parseExperimentText(text, file)).then(
    (experiment) => new RunProgress(experiment.name, phasePlan(experiment), experiment.data.kind === 'text' ? 'texts' : 'images'),
    () => new RunProgress(basename(runDir), []), // a snapshot not written yet, or not ours: the folder's name
  );
  progress.runDir = runDir; // the status bar's click opens this run's dashboard
  return progress;
}

export class RunFollower implements Disposable {
  private readonly runs = new Map<string, FollowedRun>();
  private readonly events = new Emitter<RunEvent>();
  private readonly progressed = new Emitter<RunProgress>();
  readonly onEvent = this.events.event;
  /** A followed run moved on (an epoch, a batch, a state): its progress, for the status bar. */
  readonly onProgress = this.progressed.event;

  /** `isOwnRun`: the run this window's host trains, whose events come from the host already. */
  constructor(private readonly isOwnRun: (runDir: string) => boolean) {}

  /** A run file (metrics.jsonl or state.json) was created or changed; resolves once it has been read. */
  changed(file: string): Promise<void> {
    const runDir = resolve(dirname(file));
    if (this.isOwnRun(runDir)) return Promise.resolve();
    let run = this.runs.get(runDir);
    if (!run) {
      run = { tail: new MetricsTail(join(runDir, METRICS_FILE)), progress: progressOf(runDir), again: false, fresh: true };
      this.runs.set(runDir, run);
    }
    return this.read(runDir, run);
  }

  /** One read at a time per run; changes during a read make one more read after it. */
  private read(runDir: string, run: FollowedRun): Promise<void> {
    if (run.reading) {
      run.again = true;
      return run.reading;
    }
    run.reading = (async () => {
      do {
        run.again = false;
        await this.readOnce(runDir, run);
      } while (run.again);
    })().finally(() => (run.reading = undefined));
    return run.reading;
  }

  private async readOnce(runDir: string, run: FollowedRun): Promise<void> {
    const progress = await run.progress;
    let state = await readRunState(runDir).catch(() => null);
    if (run.fresh && state && state.state !== 'running') await run.tail.skipToEnd();
    run.fresh = false;
    let moved = false;
    for (let caughtUp = false; !caughtUp;) {
      const read = await run.tail.read();
      caughtUp = read.caughtUp;
      for (const record of read.records) {
        if (record.type === 'batch') {
          const data = { ...record, runDir } as unknown as BatchMetrics;
          progress.batchDone(data);
          this.events.fire({ kind: 'batch', data });
        } else if (record.type === 'epoch') {
          const data = { ...record, runDir } as unknown as EpochMetrics;
          progress.epochDone(data);
          this.events.fire({ kind: 'epoch', data });
        } else continue;
        moved = true;
      }
    }
    // read again after the log: a final state comes after the last epoch it ends
    state = await readRunState(runDir).catch(() => null);
    if (state && state.updatedAt !== run.stateStamp) {
      run.stateStamp = state.updatedAt;
      const { phase, epoch, message, preprocessing } = state;
      const data = { runDir, state: state.state, phase, epoch, message, preprocessing };
      progress.runState(data);
      this.events.fire({ kind: 'state', data });
      moved = true;
    }
    if (moved) this.progressed.fire(progress);
  }

  dispose(): void {
    this.events.dispose();
    this.progressed.dispose();
  }
}
