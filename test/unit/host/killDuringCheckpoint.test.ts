import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watch } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HostCrashedError } from '../../../src/host/client';
import { BEST_TAG, effectiveHistory, loadCheckpoint, readMetrics, readRunState } from '../../../src/engine/runs';
import { CHECKPOINTS_DIR } from '../../../src/shared/runLayout';
import { createRng, deriveSeed } from '../../../src/engine/random';
import { tinyExperiment, trainOnRealHost, type HostRun } from './fixtures/realHost';

const PHASES = [
  { name: 'head', epochs: 2, batchSize: 4, learningRate: 0.01 },
  // two unfrozen blocks make checkpoints of a few MB, so a write takes long enough for a kill to land inside it
  { name: 'tune', epochs: 40, batchSize: 4, learningRate: 0.0005, trainable: { topBlocks: 2 } },
];
const MIN_KILLS = 8;
const MAX_KILLS = 16;
const MIN_LANDED = 3;

interface Point {
  phaseIndex: number;
  epoch: number;
}
const compare = (a: Point, b: Point) => a.phaseIndex - b.phaseIndex || a.epoch - b.epoch;
const show = (p: Point) => `${PHASES[p.phaseIndex].name} epoch ${p.epoch}`;
const next = (p: Point): Point => (p.epoch >= PHASES[p.phaseIndex].epochs ? { phaseIndex: p.phaseIndex + 1, epoch: 1 } : { ...p, epoch: p.epoch + 1 });

/** Loads and verifies every published checkpoint (a corrupt one throws); returns the newest epoch checkpoint, epoch 0 when none. */
async function verifyAll(checkpointsDir: string): Promise<Point> {
  const names = (await readdir(checkpointsDir)).filter((name) => !name.startsWith('.'));
  const loaded = await Promise.all(names.map((name) => loadCheckpoint(join(checkpointsDir, name))));
  return loaded.map((c) => c.manifest).filter((m) => m.tag !== BEST_TAG).sort(compare).at(-1) ?? { phaseIndex: 0, epoch: 0 };
}

/**
 * SIGKILLs the host the moment one of its checkpoint writes begins (a work folder appears: a save's temp folder, a
 * replaced tag set aside, a pruned checkpoint on its way out), after letting `skip` of them pass.
 */
function killAtWrite(checkpointsDir: string, pid: number, skip: number): () => void {
  const writes = new Set<string>();
  // the host's own work folders only: removing an earlier host's leftovers is an event too
  const ownWork = new RegExp(`^\\.(tmp|old|del)-${pid}-`);
  const watcher = watch(checkpointsDir, (_, name) => {
    if (!name || !ownWork.test(name) || writes.has(name)) return;
    writes.add(name);
    if (writes.size > skip) {
      process.kill(pid, 'SIGKILL');
      watcher.close();
    }
  });
  return () => watcher.close();
}

test('SIGKILL of the real training host during checkpoint writes: every checkpoint verifies, each resume continues from the newest, the run completes with a whole history', async (t) => {
  const workspace = await tinyExperiment(t, PHASES);
  const rng = createRng(deriveSeed(20261128, 'host-kills'));
  let run: HostRun = await trainOnRealHost(workspace);
  t.after(() => run.host.dispose());
  const runDir = await run.runDir;
  const checkpointsDir = join(runDir, CHECKPOINTS_DIR);
  await mkdir(checkpointsDir, { recursive: true });
  let kills = 0, landed = 0;
  let resumedAfter: Point | undefined;
  for (;;) {
    // kill until enough kills landed inside a write; then let the last resume finish the run
    const killing = kills < MAX_KILLS && (kills < MIN_KILLS || landed < MIN_LANDED);
    const stopWatching = killing ? killAtWrite(checkpointsDir, run.host.pid, Math.floor(rng() * 3)) : () => undefined;
    const outcome = await run.done.catch((error: unknown) => error);
    stopWatching();
    if (resumedAfter) {
      const resumed = (await readMetrics(runDir)).filter((r) => r.type === 'event' && r.event === 'resumed').at(-1)!;
      assert.deepEqual({ phaseIndex: resumed.phaseIndex, epoch: resumed.epoch }, resumedAfter, `resume ${kills} restored another checkpoint`);
      if (run.epochs[0]) assert.deepEqual({ phaseIndex: run.epochs[0].phaseIndex, epoch: run.epochs[0].epoch }, next(resumedAfter), `resume ${kills} did not start at the next epoch`);
    }
    if (!(outcome instanceof HostCrashedError)) {
      assert.equal((outcome as { state?: string }).state, 'completed', String(outcome));
      break;
    }
    assert.equal(outcome.signal, 'SIGKILL');
    kills++;
    if ((await readdir(checkpointsDir)).some((name) => name.startsWith('.'))) landed++;
    const newest = await verifyAll(checkpointsDir);
    const reported = run.epochs.at(-1);
    if (reported) assert.ok(compare(newest, reported) >= 0, `kill ${kills}: ${show(reported)} was reported done, yet the newest checkpoint is ${show(newest)}`);
    resumedAfter = { phaseIndex: newest.phaseIndex, epoch: newest.epoch };
    run = await trainOnRealHost(workspace, { resumeRunDir: runDir });
  }
  t.diagnostic(`${kills} kills, ${landed} landed inside a checkpoint write`);
  assert.ok(kills >= MIN_KILLS, `the run finished after only ${kills} kills`);
  assert.ok(landed >= MIN_LANDED, `only ${landed} of ${kills} kills landed inside a checkpoint write`);
  assert.equal((await readRunState(runDir))?.state, 'completed');
  await verifyAll(checkpointsDir);
  const keys = effectiveHistory(await readMetrics(runDir)).map((r) => `${r.phaseIndex}:${r.epoch}`);
  assert.deepEqual(keys, PHASES.flatMap((phase, p) => Array.from({ length: phase.epochs }, (_, i) => `${p}:${i + 1}`)), 'each epoch exactly once, in order');
});
