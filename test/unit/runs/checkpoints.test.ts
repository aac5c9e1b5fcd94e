import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BEST_TAG, CheckpointError, epochCheckpointTag, latestGoodCheckpoint, loadCheckpoint, pruneCheckpoints,
  saveCheckpoint,
} from '../../../src/engine/runs';
import { createRng } from '../../../src/engine/random';
import { fakeWeights, sameWeights } from './fixtures/fakeWeights';
import { tempDir } from './fixtures/tempDir';

const meta = (epoch: number, phaseIndex = 0) => ({ phase: phaseIndex ? 'fine-tune' : 'head', phaseIndex, epoch });
const save = (runDir: string, epoch: number, phaseIndex = 0) =>
  saveCheckpoint(runDir, epochCheckpointTag(phaseIndex, epoch), fakeWeights(epoch), meta(epoch, phaseIndex));
const checkpointNames = async (runDir: string) => (await readdir(join(runDir, 'checkpoints'))).sort();

test('round trip is bit-exact, including NaN payloads, -0, infinities and subnormals', async (t) => {
  const runDir = await tempDir(t);
  const rng = createRng(5);
  const data = Float32Array.from({ length: 1000 }, () => (rng() - 0.5) * 1e6);
  const bits = new Uint32Array(data.buffer);
  bits[0] = 0x7fc01234; // NaN with a payload
  bits[1] = 0x80000000; // -0
  bits[2] = 0x7f800000; // +Infinity
  bits[3] = 0x00000001; // smallest subnormal
  const tensors = [
    { name: 'dense/kernel', shape: [10, 100], data },
    { name: 'dense/bias', shape: [3], data: new Float32Array([1.5, -2, 3]) },
    { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
  ];
  const dir = await saveCheckpoint(runDir, 'epoch-0-0007', tensors, { ...meta(7), extra: { valAccuracy: 0.9 } });
  const loaded = await loadCheckpoint(dir);
  assert.ok(sameWeights(loaded.tensors, tensors));
  assert.deepEqual(
    { ...loaded.manifest, createdAt: undefined, sha256: undefined, tensors: undefined },
    { tag: 'epoch-0-0007', ...meta(7), extra: { valAccuracy: 0.9 }, createdAt: undefined, sha256: undefined, tensors: undefined },
  );
  const sha = createHash('sha256').update(await readFile(join(dir, 'weights.bin'))).digest('hex');
  assert.equal(loaded.manifest.sha256, sha);
  assert.deepEqual(await checkpointNames(runDir), ['epoch-0-0007']); // no temp folder left
});

test('saving a tag again replaces it; bad input is refused and leaves nothing behind', async (t) => {
  const runDir = await tempDir(t);
  await saveCheckpoint(runDir, BEST_TAG, fakeWeights(1), meta(1));
  await saveCheckpoint(runDir, BEST_TAG, fakeWeights(2), meta(2));
  const best = await loadCheckpoint(join(runDir, 'checkpoints', BEST_TAG));
  assert.equal(best.manifest.epoch, 2);
  assert.ok(sameWeights(best.tensors, fakeWeights(2)));
  const wrongShape = [{ name: 'w', shape: [2, 3], data: new Float32Array(5) }];
  await assert.rejects(saveCheckpoint(runDir, 'epoch-0-0003', wrongShape, meta(3)), /"w" has shape \[2,3\] but 5 values/);
  await assert.rejects(saveCheckpoint(runDir, '../escape', fakeWeights(3), meta(3)), /tag "..\/escape"/);
  await assert.rejects(saveCheckpoint(runDir, '.hidden', fakeWeights(3), meta(3)), /not starting with '.'/);
  assert.deepEqual(await checkpointNames(runDir), [BEST_TAG]);
});

test('a truncated or zeroed latest checkpoint falls back to the previous one, with a warning naming the file', async (t) => {
  const runDir = await tempDir(t);
  for (const epoch of [1, 2, 3]) await save(runDir, epoch);
  await saveCheckpoint(runDir, BEST_TAG, fakeWeights(9), meta(9)); // newest of all, but never a resume point
  const weightsOf = (epoch: number) => join(runDir, 'checkpoints', epochCheckpointTag(0, epoch), 'weights.bin');
  await truncate(weightsOf(3), 1000);
  const size = (await readFile(weightsOf(2))).length;
  await writeFile(weightsOf(2), Buffer.alloc(size));

  const warnings: string[] = [];
  const latest = await latestGoodCheckpoint(runDir, (m) => warnings.push(m));
  assert.equal(latest?.manifest.epoch, 1);
  assert.ok(sameWeights(latest!.tensors, fakeWeights(1)));
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /^checkpoints[\\/]epoch-0-0003[\\/]weights\.bin is corrupt \(1000 bytes, .*\); resuming from epoch-0-0001$/);
  assert.match(warnings[1], /^checkpoints[\\/]epoch-0-0002[\\/]weights\.bin is corrupt \(sha256 mismatch\); resuming from epoch-0-0001$/);
  await assert.rejects(loadCheckpoint(join(runDir, 'checkpoints', 'epoch-0-0002')),
    (e: CheckpointError) => e instanceof CheckpointError && e.file === weightsOf(2) && /delete its checkpoint folder/.test(e.message));

  await rm(join(runDir, 'checkpoints', 'epoch-0-0001', 'manifest.json'));
  warnings.length = 0;
  assert.equal(await latestGoodCheckpoint(runDir, (m) => warnings.push(m)), null);
  assert.equal(warnings.length, 3);
  assert.match(warnings[2], /epoch-0-0001[\\/]manifest\.json is corrupt \(missing\); no earlier checkpoint verifies$/);
  assert.equal(await latestGoodCheckpoint(join(runDir, 'no-such-run'), () => assert.fail('nothing to warn about')), null);
});

test('newest means the latest phase first, then the latest epoch; pruning keeps the newest two plus best', async (t) => {
  const runDir = await tempDir(t);
  for (const epoch of [1, 2, 3, 10]) await save(runDir, epoch);
  await save(runDir, 1, 1);
  await saveCheckpoint(runDir, BEST_TAG, fakeWeights(2), meta(2));
  assert.equal((await latestGoodCheckpoint(runDir, assert.fail))?.manifest.tag, 'epoch-1-0001');
  assert.deepEqual(await pruneCheckpoints(runDir), ['epoch-0-0003', 'epoch-0-0002', 'epoch-0-0001']);
  assert.deepEqual(await checkpointNames(runDir), [BEST_TAG, 'epoch-0-0010', 'epoch-1-0001']);
  await assert.rejects(pruneCheckpoints(runDir, -1), /keep must be/);
});

test('leftovers of a dead process are cleaned, a set-aside best is restored, a live process is left alone', async (t) => {
  const runDir = await tempDir(t);
  await save(runDir, 1);
  await saveCheckpoint(runDir, BEST_TAG, fakeWeights(1), meta(1));
  const checkpoints = join(runDir, 'checkpoints');
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
  // killed between "move best aside" and "move the new best in": best exists only under its aside name
  await rename(join(checkpoints, BEST_TAG), join(checkpoints, `.old-${deadPid}-00ff-${BEST_TAG}`));
  await mkdir(join(checkpoints, `.tmp-${deadPid}-0a0b-epoch-0-0002`));
  await writeFile(join(checkpoints, `.tmp-${deadPid}-0a0b-epoch-0-0002`, 'weights.bin'), 'half');
  const liveTemp = `.tmp-${process.ppid}-0c0d-epoch-0-0005`;
  await mkdir(join(checkpoints, liveTemp));

  assert.equal((await latestGoodCheckpoint(runDir, assert.fail))?.manifest.tag, 'epoch-0-0001');
  assert.deepEqual(await checkpointNames(runDir), [liveTemp, BEST_TAG, 'epoch-0-0001'].sort());
  assert.ok(sameWeights((await loadCheckpoint(join(checkpoints, BEST_TAG))).tensors, fakeWeights(1)));
});
