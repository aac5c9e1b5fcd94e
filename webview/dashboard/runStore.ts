// The dashboard's copy of one run: a snapshot from the run folder, then live points and states merged into it.
import type { RunSnapshot, ToDashboardWebview } from '../../src/protocol/webview';
import { upsertInOrder } from '../shared/series';

/** Which part of the page a message changed. */
export type Change = 'all' | 'metrics' | 'state' | 'evaluation' | 'none';

export class RunStore {
  run: RunSnapshot | undefined;

  apply(message: ToDashboardWebview): Change {
    if (message.type === 'run/snapshot') {
      this.run = message.snapshot;
      return 'all';
    }
    const run = this.run;
    if (!run) return 'none'; // live events before the first snapshot are replayed after it
    switch (message.type) {
      case 'run/batch': upsertInOrder(run.batches, message.point); return 'metrics';
      case 'run/epoch': upsertInOrder(run.epochs, message.point); return 'metrics';
      case 'run/evaluation': run.evaluation = message.evaluation; return 'evaluation';
      case 'run/endings': run.endings = message.endings; return 'metrics';
      case 'run/showSplit': return 'none'; // a choice of the page (main.ts), not data
      case 'run/heatmaps': return 'none'; // pictures' overlays (heatmaps.ts), not the run's data
      case 'run/dataHealth': return 'none'; // the header's line (main.ts), not run data
      case 'run/state': {
        // live states carry no start time and may omit the engine; a final state read from the folder has both
        const { startedAt, updatedAt, engine } = run.state;
        run.state = { ...(startedAt ? { startedAt } : {}), ...(updatedAt ? { updatedAt } : {}), ...(engine ? { engine } : {}), ...message.state };
        return 'state';
      }
    }
  }
}
