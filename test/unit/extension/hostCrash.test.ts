import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { HostCrashedError, TrainingHost } from '../../../src/host/client';
import { HostSupervisor, type HostCrash } from '../../../src/extension/host/supervisor';
import { readRunState, writeRunState } from '../../../src/engine/runs';
import { PROTOCOL_VERSION, Requests } from '../../../src/protocol/host';
import { tempDir } from '../runs/fixtures/tempDir';

test('a real host process that dies mid-run: the run folder says "crashed" with its last stderr line, and the UI hears once', async (t) => {
  const runDir = await tempDir(t, 'transfer-lab-crash-');
  await writeRunState(runDir, { state: 'running' });
  const supervisor = new HostSupervisor(
    () => TrainingHost.start({ script: join(__dirname, 'fixtures', 'dyingHost.cjs'), env: { RUN_DIR: runDir, PROTOCOL_VERSION: String(PROTOCOL_VERSION) } }),
    (dir, message) => writeRunState(dir, { state: 'crashed', message }),
  );
  t.after(() => supervisor.dispose(0));
  const crashed = new Promise<HostCrash>((resolve) => supervisor.onCrash(resolve));
  await assert.rejects(supervisor.call((c) => c.sendRequest(Requests.train, { experimentFile: 'x.experiment.json' })), HostCrashedError);
  const crash = await crashed;
  assert.equal(crash.runDir, runDir);
  assert.equal(crash.error.exitCode, 134);
  const state = await readRunState(runDir);
  assert.equal(state?.state, 'crashed');
  assert.match(state?.message ?? '', /Reached heap limit/);
  assert.equal(supervisor.state, 'crashed');
});
