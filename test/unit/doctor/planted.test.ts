// The doctor finds planted mistakes in real photos: label errors (top 2N suspects hold ≥ 70 % of the N moved files)
// and train–test leakage (exact and resized + re-compressed copies), with an ImageNet base (darknet-tiny) and with
// the shipped offline base; a second check reads everything from the cache.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectEngine, type EngineInfo } from '../../../src/engine/backend/select';
import { runDoctor } from '../../../src/engine/doctor/doctor';
import type { DoctorReport } from '../../../src/protocol/host';
import { sharedData, skipWithoutSharedData } from '../fixtures/sharedData';
import { plantedFlowers, type PlantedSet } from './plantedSet';

let engine: EngineInfo;
before(async () => (engine = await selectEngine('wasm')));

const TRAIN_PER_CLASS = 30;
const TEST_PER_CLASS = 5;

function labelRecall(report: DoctorReport, set: PlantedSet): { found: number; recall: number } {
  const top = new Set(report.labelIssues.slice(0, 2 * set.moved.length).map((issue) => issue.file));
  const found = set.moved.filter((file) => top.has(file)).length;
  return { found, recall: found / set.moved.length };
}

function assertLeakage(report: DoctorReport, set: PlantedSet): void {
  for (const { copy, original } of set.leaked) {
    const group = report.duplicates.find((g) => g.files.includes(copy));
    assert.ok(group, `${copy} is in no duplicate group`);
    assert.ok(group.files.includes(original), `${copy} is grouped without its original ${original}: ${group.files.join(', ')}`);
    assert.equal(group.leakage, true);
    assert.deepEqual([...new Set(group.splits)].sort(), ['test', 'train']);
  }
  const firstOther = report.duplicates.findIndex((g) => !g.leakage);
  assert.ok(firstOther < 0 || report.duplicates.slice(firstOther).every((g) => !g.leakage), 'leakage groups come first');
}

const BASES = [
  { name: 'darknet-tiny', base: sharedData('weights', 'darknet-tiny-tfjs') },
  { name: 'the shipped base (nsfwjs_mobilenet_v2)', base: 'nsfwjs_mobilenet_v2' },
];

for (const { name, base } of BASES) {
  const skip = skipWithoutSharedData(['flowers'], ...(name === 'darknet-tiny' ? [['weights', 'darknet-tiny-tfjs']] : []));
  test(`planted label errors and leakage in flowers are found with ${name}; a second check needs no base pass`, { skip }, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'doctor-planted-'));
    try {
      const set = await plantedFlowers(sharedData('flowers')!, join(dir, 'data'), TRAIN_PER_CLASS, TEST_PER_CLASS);
      const options = { engine, cacheDir: join(dir, 'cache'), progress: () => undefined, log: () => undefined };
      const report = await runDoctor({ target: set.root, base }, options);
      const { found, recall } = labelRecall(report, set);
      t.diagnostic(`${name}: ${found}/${set.moved.length} moved files in the top ${2 * set.moved.length} of ${report.labelIssues.length} suspects (${(100 * recall).toFixed(0)} %); `
        + `${report.duplicates.length} duplicate groups (${report.duplicates.filter((g) => g.leakage).length} leakage); ${report.outliers.length} outliers; ${report.seconds.toFixed(1)} s`);
      assert.ok(recall >= 0.7, `top ${2 * set.moved.length} suspects hold ${found} of the ${set.moved.length} moved files`);
      const moved = report.labelIssues.find((issue) => issue.file === set.moved[0]);
      if (moved) assert.notEqual(moved.suggested, moved.given);
      assertLeakage(report, set);
      assert.ok(report.duplicates.length <= set.leaked.length + 5, `few other duplicate groups: ${JSON.stringify(report.duplicates.filter((g) => !g.leakage))}`);

      const again = await runDoctor({ target: set.root, base }, options);
      assert.equal(again.computed, 0, 'the second check computes no features');
      assert.deepEqual(again.labelIssues, report.labelIssues, 'seeded folds: the same suspects');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
