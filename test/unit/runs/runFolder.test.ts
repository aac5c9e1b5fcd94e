import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createRunFolder, listRuns, slugify } from '../../../src/engine/runs/runFolder';
import { tempDir } from './fixtures/tempDir';

const now = new Date(2024, 0, 2, 3, 4, 5); // local time, as in the folder name

test('run folder is named by local start time and slug, and its root is created', async (t) => {
  const root = join(await tempDir(t), 'nested', 'runs');
  const dir = await createRunFolder(root, 'Cats vs. Dogs!! (v2)', now);
  assert.equal(basename(dir), '20240102-030405-Cats-vs-Dogs-v2');
  assert.ok((await stat(dir)).isDirectory());
});

test('creating the same run name in the same second never reuses a folder', async (t) => {
  const root = await tempDir(t);
  const first = await createRunFolder(root, 'exp', now);
  const second = await createRunFolder(root, 'exp', now);
  assert.notEqual(first, second);
  assert.equal(basename(second), `${basename(first)}-2`);
  const racing = await Promise.all(Array.from({ length: 8 }, () => createRunFolder(root, 'exp', now)));
  assert.equal(new Set([first, second, ...racing]).size, 10);
  assert.equal((await readdir(root)).length, 10);
});

test('slug keeps letters of any script, digits, dash and underscore; nothing can escape the runs folder', () => {
  assert.equal(slugify('Größe_猫 テスト'), 'Größe_猫-テスト');
  assert.equal(slugify('../../etc/passwd'), 'etc-passwd');
  assert.equal(slugify('a  --  b'), 'a-b');
  assert.equal(slugify('!!!'), 'run');
  assert.equal(slugify(''), 'run');
  const long = slugify('x'.repeat(59) + ' 🐱🐱 tail');
  assert.ok(Array.from(long).length <= 60 && !long.endsWith('-'));
  assert.equal(slugify('😀'.repeat(100)), 'run'); // emoji are symbols, not letters
});

test('listRuns returns only real runs, oldest first, with -10 after -2', async (t) => {
  const root = await tempDir(t);
  const made = [];
  for (let i = 0; i < 11; i++) made.push(await createRunFolder(root, 'exp', now));
  const earlier = await createRunFolder(root, 'zeta', new Date(2023, 11, 31, 23, 59, 59));
  for (const dir of made) await writeFile(join(dir, 'state.json'), '{}');
  await writeFile(join(earlier, 'experiment.json'), '{}');
  await mkdir(join(root, 'not-a-run'));
  await writeFile(join(root, 'stray.txt'), '');
  assert.deepEqual(await listRuns(root), [earlier, ...made]);
  assert.deepEqual(await listRuns(join(root, 'missing')), []);
});
