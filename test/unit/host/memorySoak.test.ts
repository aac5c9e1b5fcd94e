import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Notifications, Requests, type EpochMetrics, type HostMemory } from '../../../src/protocol/host';
import { tinyExperiment, trainOnRealHost } from './fixtures/realHost';

const PHASES = [
  { name: 'head', epochs: 44, batchSize: 4, learningRate: 0.01 },
  { name: 'tune', epochs: 6, batchSize: 4, learningRate: 0.0005, trainable: { topBlocks: 1 } },
];
/** Epochs of each phase before memory may settle: optimizer slots, kernels and allocator pools fill during these. */
const WARM_UP = 3;
/** Measured 5–8 MB over the 41 head epochs after warm-up (V8 growing its heap once); a leak of one batch per epoch is far more. */
const RSS_GROWTH_MB = 16;

const afterWarmUp = (epochs: EpochMetrics[], phase: string) => epochs.filter((e) => e.phase === phase).slice(WARM_UP).map((e) => e.memory!);
const mb = (bytes: number) => bytes / 2 ** 20;

test('50 epochs, then evaluations and predictions, on the real training host: tensors exactly flat, resident memory bounded', async (t) => {
  const workspace = await tinyExperiment(t, PHASES);
  const run = await trainOnRealHost(workspace);
  t.after(() => run.host.dispose());
  const { connection } = run.host;
  let trained = false;
  const duringTraining = new Promise<{ memory: HostMemory; trained: boolean }>((resolve) => {
    connection.onNotification(Notifications.batch, (batch) => {
      if (batch.phase === 'head' && batch.epoch === 10 && batch.batch === 1) {
        void connection.sendRequest(Requests.memory).then((memory) => resolve({ memory, trained }));
      }
    });
  });
  const result = await run.done.finally(() => (trained = true));
  assert.equal(result.state, 'completed');
  assert.equal(run.epochs.length, 50);
  const asked = await duringTraining;
  assert.equal(asked.trained, false, 'the host answers a memory request while it trains');

  for (const phase of PHASES) {
    const memory = afterWarmUp(run.epochs, phase.name);
    assert.equal(memory.length, phase.epochs - WARM_UP);
    const counts = memory.map((m) => m.numTensors);
    assert.ok(counts.every((n) => n === counts[0]), `phase ${phase.name}: tensors per epoch ${counts}`);
    assert.ok(memory.every((m) => m.tensorBytes === memory[0].tensorBytes), `phase ${phase.name}: tensor bytes per epoch ${memory.map((m) => m.tensorBytes)}`);
    t.diagnostic(`phase ${phase.name}: RSS (MB) after warm-up ${memory.map((m) => mb(m.rssBytes).toFixed(1)).join(' ')}`);
  }
  const head = afterWarmUp(run.epochs, 'head');
  const growth = mb(head.at(-1)!.rssBytes - head[0].rssBytes);
  t.diagnostic(`RSS growth over ${head.length} head epochs after warm-up: ${growth.toFixed(1)} MB`);
  assert.ok(growth <= RSS_GROWTH_MB, `RSS grew ${growth.toFixed(1)} MB over ${head.length} epochs`);

  const idle = await connection.sendRequest(Requests.memory);
  for (let round = 0; round < 3; round++) {
    const report = await connection.sendRequest(Requests.evaluate, { runDir: result.runDir });
    assert.equal(report.count, 3);
    const predictions = await connection.sendRequest(Requests.predict, { runDir: result.runDir, inputs: [workspace.data] });
    assert.equal(predictions.length, 12);
    const now = await connection.sendRequest(Requests.memory);
    assert.deepEqual([now.numTensors, now.tensorBytes], [idle.numTensors, idle.tensorBytes], `round ${round}: evaluate and predict left tensors behind`);
  }
});
