// The Experiments tree's nodes, one object per experiment and per run across re-reads. VS Code replaces a row (and
// forgets the click command it had) only for the nodes named in a change event: naming just the rows that changed
// keeps a click on a running run's row working while the tree follows its epochs. No vscode import: unit-tested.
import type { RunSummary } from '../../shared/runSummary';

export interface ExperimentNode<U = unknown> {
  kind: 'experiment';
  uri: U;
  name: string;
  runs: string[];
}

export interface RunNode<U = unknown> {
  kind: 'run';
  experiment: U;
  runDir: string;
  summary: RunSummary;
}

export type ExperimentsNode<U = unknown> = ExperimentNode<U> | RunNode<U>;

/** What one read of the workspace found; `key` identifies an experiment (its file's URI). */
export interface FoundExperiment<U> {
  key: string;
  uri: U;
  name: string;
  runs: string[];
}

/** Every node to refresh, or 'all' when the list of experiments itself changed. */
export type TreeChange<U> = 'all' | ExperimentsNode<U>[];

/** A row's look changes with its runs appearing (expanded) as well as with the file list. */
function shapeOf<U>(found: readonly FoundExperiment<U>[]): string {
  return JSON.stringify(found.map((e) => [e.key, e.runs.length > 0]));
}

export class StableNodes<U> {
  private list: ExperimentNode<U>[] = [];
  private shape = '[]';
  private readonly runNodes = new Map<string, RunNode<U>>();

  get experiments(): readonly ExperimentNode<U>[] {
    return this.list;
  }

  /** The run's node as last read (undefined before its first read). */
  run(runDir: string): RunNode<U> | undefined {
    return this.runNodes.get(runDir);
  }

  /** Takes a fresh read (with every run's summary) into the kept nodes and says which rows changed. */
  update(found: readonly FoundExperiment<U>[], summaries: ReadonlyMap<string, RunSummary>): TreeChange<U> {
    const shape = shapeOf(found);
    const whole = shape !== this.shape;
    const changed: ExperimentsNode<U>[] = [];
    const refreshed = new Set<string>();
    if (whole) {
      this.list = found.map((e) => ({ kind: 'experiment', uri: e.uri, name: e.name, runs: [...e.runs] }));
      this.shape = shape;
    } else {
      found.forEach((e, i) => {
        const node = this.list[i];
        if (node.name === e.name && node.runs.join('\n') === e.runs.join('\n')) return;
        node.name = e.name;
        node.runs = [...e.runs];
        node.uri = e.uri;
        changed.push(node);
        e.runs.forEach((runDir) => refreshed.add(runDir));
      });
    }
    const live = new Set(found.flatMap((e) => e.runs));
    for (const runDir of this.runNodes.keys()) if (!live.has(runDir)) this.runNodes.delete(runDir);
    for (const e of found) {
      for (const runDir of e.runs) {
        const summary = summaries.get(runDir);
        if (!summary) continue;
        const node = this.runNodes.get(runDir);
        if (!node) {
          this.runNodes.set(runDir, { kind: 'run', experiment: e.uri, runDir, summary });
        } else if (JSON.stringify(node.summary) !== JSON.stringify(summary)) {
          node.summary = summary;
          if (!refreshed.has(runDir)) changed.push(node);
        }
      }
    }
    return whole ? 'all' : changed;
  }
}
