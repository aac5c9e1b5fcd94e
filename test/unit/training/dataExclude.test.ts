// data.exclude: files an experiment leaves out of every split (the data doctor's Exclude action writes it), with paths
// relative to the experiment file; the doctor checking that experiment leaves them out too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExperimentFile } from '../../../src/engine/experiment/load';
import { ExperimentError } from '../../../src/engine/experiment/validate';
import { planData } from '../../../src/engine/training/dataPlan';
import { planDoctor } from '../../../src/engine/doctor/doctorData';
import { writeSyntheticDataset, SYNTHETIC_CLASSES } from '../fixtures/syntheticImages';

async function experimentWith(data: Record<string, unknown>): Promise<{ file: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'tl-exclude-'));
  await writeSyntheticDataset(6, { root: join(dir, 'images'), size: 16 });
  const file = join(dir, 'x.experiment.json');
  await writeFile(file, JSON.stringify({ name: 'x', seed: 1, data: { root: 'images', split: { val: 0.34, test: 0 }, ...data }, base: { model: 'mobilenet_v2' }, phases: [{ epochs: 1, trainable: { none: true } }] }));
  return { file, dir };
}

test('data.exclude leaves its files (relative to the experiment) out of every split, and says how many', async () => {
  const excluded = [`images/${SYNTHETIC_CLASSES[0]}/0.jpg`, `images/${SYNTHETIC_CLASSES[1]}/3.png`, 'images/gone.jpg'];
  const { file, dir } = await experimentWith({ exclude: excluded });
  const plan = await planData(await loadExperimentFile(file));
  const all = [...plan.train, ...plan.val, ...plan.test].map((s) => s.path);
  assert.equal(all.length, 3 * 6 - 2);
  for (const path of excluded) assert.ok(!all.includes(join(dir, path)), `${path} is left out`);
  assert.equal(plan.excluded, 2, 'a listed file that no longer exists is simply not there');

  const doctor = await planDoctor(file, undefined, join(dir, 'cache'));
  assert.deepEqual(doctor.samples.map((s) => s.path).sort(), all.sort(), 'the doctor checks the images the runs train on');
  assert.ok(doctor.samples.some((s) => s.split === 'val'), 'with the split the runs make');
  assert.equal(doctor.counts[SYNTHETIC_CLASSES[0]].train + doctor.counts[SYNTHETIC_CLASSES[0]].val, 5);
});

test('data.exclude must be a list of paths', async () => {
  const { file } = await experimentWith({ exclude: 'images/a.jpg' });
  await assert.rejects(loadExperimentFile(file), (error: Error) => error instanceof ExperimentError && /exclude/.test(error.message));
});
