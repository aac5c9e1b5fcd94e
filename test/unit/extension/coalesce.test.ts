import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Coalesced } from '../../../src/extension/util/coalesce';

test('a steady stream of requests still runs the work, at most one delay after the first unserved request', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const runs: number[] = [];
  let now = 0;
  const coalesced = new Coalesced(500, () => runs.push(now));
  // a fast run: a state change every 150 ms for 3 s
  for (now = 0; now < 3000; now += 150) {
    coalesced.request();
    t.mock.timers.tick(150);
  }
  assert.ok(runs.length >= 5, `ran ${runs.length} times during the stream`);
  assert.ok(runs[0] <= 500, `first run after ${runs[0]} ms`);
  runs.slice(1).forEach((at, i) => assert.ok(at - runs[i] <= 650, `gap ${at - runs[i]} ms`));
  coalesced.dispose();
});

test('a burst of requests runs the work once; dispose cancels a pending run', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const work = mock.fn();
  const coalesced = new Coalesced(300, work);
  for (let i = 0; i < 10; i++) coalesced.request();
  t.mock.timers.tick(300);
  assert.equal(work.mock.callCount(), 1);
  coalesced.request();
  coalesced.dispose();
  t.mock.timers.tick(1000);
  assert.equal(work.mock.callCount(), 1);
});
