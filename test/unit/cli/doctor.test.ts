// `transfer-lab doctor` as a user runs it: the --json line's shape (train–test leakage first, absolute paths), usage
// and path errors that say what to fix, and Ctrl+C as Stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticDataset, SYNTHETIC_CLASSES } from '../fixtures/syntheticImages';
import { writeExperiment } from '../fixtures/experiments';
import { runCli, startCli } from './runCli';

interface DoctorJson {
  label_issues: { file: string }[];
  duplicates: { files: string[]; splits: string[]; leakage: boolean }[];
  classes: Record<string, unknown>;
  seconds: unknown;
}

/** train/ and test/ folders of synthetic classes, with one test image copied into train. */
async function splitSet(perClass: number): Promise<{ root: string; leaked: string; original: string; env: NodeJS.ProcessEnv }> {
  const root = await mkdtemp(join(tmpdir(), 'tl-doctor-cli-'));
  await writeSyntheticDataset(perClass, { root: join(root, 'train'), size: 32 });
  await writeSyntheticDataset(3, { root: join(root, 'test'), size: 32, seed: 9 });
  const original = join(root, 'test', SYNTHETIC_CLASSES[0], '0.jpg');
  const leaked = join(root, 'train', SYNTHETIC_CLASSES[0], 'copy-of-test-0.jpg');
  await copyFile(original, leaked);
  return { root, leaked, original, env: { TRANSFER_LAB_CACHE: join(root, 'cache') } };
}

test('doctor --json: one last line with label issues, duplicates (leakage first), outliers, classes and seconds', async () => {
  const { root, leaked, original, env } = await splitSet(6);
  const result = await runCli(['doctor', root, '--base', 'nsfwjs_mobilenet_v2', '--json'], env);
  assert.equal(result.code, 0, result.stderr);
  const json = result.json as unknown as DoctorJson;
  for (const key of ['label_issues', 'duplicates', 'outliers', 'classes', 'seconds']) assert.ok(key in json, `${key} in ${Object.keys(json)}`);
  // synthetic images of a class differ by noise only, so their group may hold more than the copy and its original
  const group = json.duplicates.find((g) => g.files.includes(leaked))!;
  assert.ok(group?.files.includes(original), JSON.stringify(json.duplicates));
  assert.equal(group.splits[group.files.indexOf(original)], 'test');
  assert.equal(group.splits[group.files.indexOf(leaked)], 'train');
  assert.equal(json.duplicates[0].leakage, true, 'leakage first');
  assert.deepEqual(Object.keys(json.duplicates[0]).sort(), ['files', 'kind', 'leakage', 'similarity', 'splits']);
  assert.deepEqual(json.classes[SYNTHETIC_CLASSES[0]], { train: 7, val: 0, test: 3 });
  for (const issue of json.label_issues) {
    assert.deepEqual(Object.keys(issue).sort(), ['file', 'given', 'score', 'suggested']);
    assert.ok(issue.file.startsWith('/'));
  }
  assert.equal(typeof json.seconds, 'number');
});

test('doctor: usage errors exit 2, a missing folder names the path and the fix', async () => {
  const none = await runCli(['doctor', '--json']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /missing a data folder or experiment file[\s\S]*transfer-lab doctor/);
  const near = await runCli(['doctor', '.', '--near', '1.5', '--json']);
  assert.equal(near.code, 2);
  assert.match(String(near.json.error), /--near must be a number above 0 and at most 1/);
  const missing = join(tmpdir(), 'tl-doctor-no-such-folder');
  const absent = await runCli(['doctor', missing, '--base', 'nsfwjs_mobilenet_v2', '--json']);
  assert.equal(absent.code, 1);
  assert.match(String(absent.json.error), new RegExp(`${missing}: not found — give a data folder`));
});

test('Ctrl+C during the check (SIGINT to the whole process group) stops it: exit 130, "cancelled"', async () => {
  const { root, env } = await splitSet(40);
  const run = startCli(['doctor', root, '--base', 'nsfwjs_mobilenet_v2'], env, { detached: true });
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer | string) => String(chunk).includes('checking ') && resolve();
    run.child.stdout!.on('data', seen);
    run.child.on('close', () => reject(new Error('doctor ended before it started checking')));
  });
  process.kill(-run.child.pid!, 'SIGINT');
  const result = await run.done;
  assert.equal(result.code, 130, result.stderr);
  assert.match(result.stderr, /stopping the check[\s\S]*check cancelled/);
});

test('Ctrl+C during a search ends it the same way: exit 130, "search cancelled", not an error', async () => {
  const { root, env } = await splitSet(40);
  const experiment = await writeExperiment(join(root, 'train'), {}, root);
  const run = startCli(['search', experiment], env, { detached: true });
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer | string) => String(chunk).includes('features') && resolve();
    run.child.stdout!.on('data', seen);
    run.child.stderr!.on('data', seen);
    run.child.on('close', () => reject(new Error('search ended before it computed features')));
  });
  process.kill(-run.child.pid!, 'SIGINT');
  const result = await run.done;
  assert.equal(result.code, 130, result.stderr);
  assert.match(result.stderr, /stopping the search[\s\S]*search cancelled/);
  assert.doesNotMatch(result.stderr, /error:/);
});
