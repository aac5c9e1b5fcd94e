import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostCrashedError } from '../../../src/host/client';
import { HostSupervisor, type HostCrash, type HostState } from '../../../src/extension/host/supervisor';
import { Notifications } from '../../../src/protocol/host';
import { FakeHost } from './fixtures/fakeHost';

function setUp() {
  const hosts: FakeHost[] = [];
  const marked: [string, string][] = [];
  const supervisor = new HostSupervisor(
    async () => (hosts.push(new FakeHost()), hosts.at(-1)!),
    async (runDir, message) => void marked.push([runDir, message]),
  );
  const states: HostState[] = [];
  const crashes: HostCrash[] = [];
  supervisor.onDidChangeState((s) => states.push(s));
  supervisor.onCrash((c) => crashes.push(c));
  return { supervisor, hosts, marked, states, crashes };
}

const send = (supervisor: HostSupervisor) => supervisor.call((c) => c.sendRequest({ method: 'run/train' } as never, {} as never));
const flush = () => new Promise((resolve) => setImmediate(resolve));

test('starts no host until a request needs one, then one host serves concurrent requests', async () => {
  const { supervisor, hosts, states } = setUp();
  assert.equal(supervisor.state, 'idle');
  assert.equal(hosts.length, 0);
  const first = send(supervisor);
  const second = send(supervisor);
  await flush();
  assert.equal(hosts.length, 1);
  assert.deepEqual(hosts[0].requests, ['run/train', 'run/train']);
  assert.equal(supervisor.busy, true);
  hosts[0].answer('a');
  hosts[0].answer('b');
  assert.deepEqual(await Promise.all([first, second]), ['a', 'b']);
  assert.equal(supervisor.busy, false);
  assert.deepEqual(states, ['starting', 'ready']);
});

test('a crash marks the training run "crashed" with the last stderr lines, is reported once, and nothing restarts by itself', async () => {
  const { supervisor, hosts, marked, crashes } = setUp();
  const training = send(supervisor);
  await flush();
  hosts[0].notify(Notifications.runState.method, { runDir: '/runs/a', state: 'running' });
  hosts[0].crash(['RangeError: Array buffer allocation failed']);
  await assert.rejects(training, HostCrashedError);
  await flush();
  assert.equal(supervisor.state, 'crashed');
  assert.equal(marked.length, 1);
  assert.equal(marked[0][0], '/runs/a');
  assert.match(marked[0][1], /SIGKILL[\s\S]*Array buffer allocation failed/);
  assert.deepEqual(crashes.map((c) => c.runDir), ['/runs/a']);
  assert.equal(hosts.length, 1, 'no automatic restart');
  const next = send(supervisor);
  await flush();
  assert.equal(hosts.length, 2, 'the next request (the user asking again) starts a fresh host');
  hosts[1].answer('ok');
  assert.equal(await next, 'ok');
});

test('a crash with no run in progress marks nothing; a finished run is no longer tracked', async () => {
  const { supervisor, hosts, marked, crashes } = setUp();
  const done = send(supervisor);
  await flush();
  hosts[0].notify(Notifications.runState.method, { runDir: '/runs/a', state: 'running' });
  hosts[0].notify(Notifications.runState.method, { runDir: '/runs/a', state: 'completed' });
  hosts[0].answer('done');
  await done;
  hosts[0].crash([]);
  await flush();
  assert.deepEqual(marked, []);
  assert.equal(crashes.length, 1);
  assert.equal(crashes[0].runDir, undefined);
});

test('a resumed run is tracked from the request on, before the host says it is running', async () => {
  const { supervisor, hosts, marked } = setUp();
  supervisor.trackRun('/runs/resumed');
  const training = send(supervisor);
  await flush();
  hosts[0].crash(['killed while loading the checkpoint']);
  await assert.rejects(training, HostCrashedError);
  await flush();
  assert.equal(marked[0][0], '/runs/resumed');
});

test('notifications of the current host reach the supervisor events', async () => {
  const { supervisor, hosts } = setUp();
  const batches: unknown[] = [];
  supervisor.onBatch((b) => batches.push(b));
  void send(supervisor);
  await flush();
  hosts[0].notify(Notifications.batch.method, { batch: 1 });
  assert.deepEqual(batches, [{ batch: 1 }]);
});

test('a host that fails to start leaves the supervisor idle, and the next request tries again', async () => {
  let attempts = 0;
  const host = new FakeHost();
  const supervisor = new HostSupervisor(async () => {
    attempts += 1;
    if (attempts === 1) throw new Error('the training host did not answer within 60000 ms');
    return host;
  }, async () => undefined);
  await assert.rejects(send(supervisor), /did not answer/);
  assert.equal(supervisor.state, 'idle');
  const retry = send(supervisor);
  await flush();
  host.answer('ok');
  assert.equal(await retry, 'ok');
  assert.equal(attempts, 2);
});

test('stopIfIdle leaves a busy host alone and stops an idle one; dispose stops the host with the grace period', async () => {
  const { supervisor, hosts } = setUp();
  const pending = send(supervisor);
  await flush();
  await supervisor.stopIfIdle();
  assert.equal(hosts[0].disposed, false, 'busy: kept');
  hosts[0].answer('x');
  await pending;
  await supervisor.stopIfIdle();
  assert.equal(hosts[0].disposed, true);
  assert.equal(supervisor.state, 'idle');
  const interrupted = send(supervisor);
  await flush();
  await supervisor.dispose(1234);
  assert.equal(hosts[1].disposedWith, 1234);
  await assert.rejects(interrupted, /stopped before answering/);
  assert.equal(supervisor.state, 'disposed');
  await assert.rejects(send(supervisor), /shutting down/);
});
