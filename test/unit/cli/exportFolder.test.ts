import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeTfjsFolder } from '../../../src/engine/export/exportFolder';
import { EXPORT_MARKER } from '../../../src/shared/runLayout';

/** A run folder whose model/ holds a tfjs model and the Keras copies exported beside it. */
async function runWithModel(): Promise<{ work: string; modelDir: string }> {
  const work = await mkdtemp(path.join(tmpdir(), 'tl-export-folder-'));
  const modelDir = path.join(work, 'runs', 'run-1', 'model');
  await mkdir(modelDir, { recursive: true });
  const files: Record<string, string> = { 'model.json': '{"new":true}', 'weights.bin': 'new weights', 'labels.json': '["a","b"]', 'model.h5': 'keras', 'model.keras': 'keras' };
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(modelDir, name), text);
  return { work, modelDir };
}

async function writeFiles(folder: string, files: Record<string, string>): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(folder, name), text);
}

/** Every file and folder under `folder`, relative, sorted. */
async function tree(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true })).sort();
}

const modeOf = async (folder: string) => (await stat(folder)).mode & 0o7777;

test('replacing our own earlier export leaves none of its files behind, nor a temp folder beside it, and keeps the folder\'s mode', async () => {
  const { work, modelDir } = await runWithModel();
  const earlier = path.join(work, 'runs', 'run-0', 'model');
  await writeFiles(earlier, { 'model.json': '{"old":true}', 'group1-shard1of2.bin': 'old', 'group1-shard2of2.bin': 'old', 'labels.json': '[]' });
  const target = path.join(work, 'out', 'run-1-model');
  await writeTfjsFolder(earlier, target);
  await chmod(target, 0o751);
  await writeTfjsFolder(modelDir, target);
  assert.deepEqual(await tree(target), [EXPORT_MARKER, 'labels.json', 'model.json', 'weights.bin']);
  assert.equal(await readFile(path.join(target, 'model.json'), 'utf8'), '{"new":true}');
  assert.equal(await modeOf(target), 0o751, 'the folder keeps the mode it had');
  assert.deepEqual(await readdir(path.dirname(target)), ['run-1-model']);
});

test('a new folder gets the mode any new folder gets (not 0700)', async () => {
  const { work, modelDir } = await runWithModel();
  const reference = path.join(work, 'reference');
  await mkdir(reference);
  const fresh = path.join(work, 'fresh');
  await writeTfjsFolder(modelDir, fresh);
  assert.equal(await modeOf(fresh), await modeOf(reference));
});

test('a folder holding someone else\'s model.json, other files and sub-folders is refused naming them; nothing changes', async () => {
  const { work, modelDir } = await runWithModel();
  const theirs = path.join(work, 'their-model');
  await writeFiles(theirs, { 'model.json': '{"theirs":true}', 'group1-shard1of1.bin': 'theirs', 'notes.txt': 'mine' });
  await writeFiles(path.join(theirs, 'data'), { 'train.csv': 'a,b' });
  await chmod(theirs, 0o755);
  const before = await tree(theirs);
  await assert.rejects(writeTfjsFolder(modelDir, theirs), (error: Error) => {
    assert.ok(error.message.startsWith(`${theirs} holds files no Transfer Lab export wrote (data/, group1-shard1of1.bin, model.json, notes.txt)`), error.message);
    assert.match(error.message, new RegExp(`Give --out a new or empty folder, e\\.g\\. ${path.join(theirs, 'run-1-model').replace(/[\\.]/g, '\\$&')}`));
    return true;
  });
  assert.deepEqual(await tree(theirs), before, 'every file kept');
  assert.equal(await readFile(path.join(theirs, 'model.json'), 'utf8'), '{"theirs":true}');
  assert.equal(await modeOf(theirs), 0o755, 'mode unchanged');
  assert.deepEqual((await readdir(work)).sort(), ['runs', 'their-model'], 'no temp folder is left beside it');
});

test('our earlier export to which someone added files is refused naming only the added ones', async () => {
  const { work, modelDir } = await runWithModel();
  const target = path.join(work, 'exported');
  await writeTfjsFolder(modelDir, target);
  await writeFiles(target, { 'README.md': 'my notes' });
  await assert.rejects(writeTfjsFolder(modelDir, target), (error: Error) => error.message.startsWith(`${target} holds files no Transfer Lab export wrote (README.md)`));
  assert.equal(await readFile(path.join(target, 'README.md'), 'utf8'), 'my notes');
});

test('a new or empty folder is written, its parents created', async () => {
  const { work, modelDir } = await runWithModel();
  const fresh = path.join(work, 'a', 'b', 'exported');
  await writeTfjsFolder(modelDir, fresh);
  assert.deepEqual(await tree(fresh), [EXPORT_MARKER, 'labels.json', 'model.json', 'weights.bin']);
  const empty = path.join(work, 'empty');
  await mkdir(empty);
  await writeTfjsFolder(modelDir, empty);
  assert.deepEqual(await tree(empty), [EXPORT_MARKER, 'labels.json', 'model.json', 'weights.bin']);
});

test('a folder that is not a tfjs export, or a file, is refused by name with the fix, and left untouched', async () => {
  const { work, modelDir } = await runWithModel();
  const models = path.join(work, 'models');
  await writeFiles(models, { 'notes.txt': 'mine', 'weights.bin': 'someone else\'s' });
  await assert.rejects(writeTfjsFolder(modelDir, models), (error: Error) => {
    assert.ok(error.message.startsWith(`${models} holds files no Transfer Lab export wrote (notes.txt, weights.bin)`), error.message);
    assert.match(error.message, new RegExp(`Give --out a new or empty folder, e\\.g\\. ${path.join(models, 'run-1-model').replace(/[\\.]/g, '\\$&')}`));
    return true;
  });
  assert.deepEqual((await readdir(models)).sort(), ['notes.txt', 'weights.bin']);
  assert.equal(await readFile(path.join(models, 'notes.txt'), 'utf8'), 'mine');
  assert.deepEqual((await readdir(work)).sort(), ['models', 'runs'], 'no temp folder is left beside it');

  const file = path.join(work, 'model-file');
  await writeFile(file, 'a file');
  await assert.rejects(writeTfjsFolder(modelDir, file), /model-file is a file, not a folder/);
  assert.equal(await readFile(file, 'utf8'), 'a file');
});

test('--out inside the run\'s model folder, or holding it, is a clear error and writes nothing', async () => {
  const { work, modelDir } = await runWithModel();
  const before = (await readdir(modelDir)).sort();
  for (const target of [path.join(modelDir, 'copy'), modelDir + path.sep, path.join(work, 'runs')]) {
    await assert.rejects(writeTfjsFolder(modelDir, path.resolve(target)), (error: Error & { code?: string }) => {
      assert.notEqual(error.code, 'ERR_FS_CP_EINVAL');
      assert.match(error.message, /--out must be outside the run's model folder .* and not contain it — give a folder elsewhere, e\.g\. .*run-1-model/);
      return true;
    });
  }
  assert.deepEqual((await readdir(modelDir)).sort(), before);
  assert.deepEqual((await readdir(path.join(work, 'runs'))), ['run-1']);
});
