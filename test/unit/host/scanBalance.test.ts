import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { scanText } from '../../../src/cli/render';
import { scanForClient } from '../../../src/host/queries';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';

test('the scan says when the classes are imbalanced and that training will weight them "balanced"', async () => {
  const root = await writeSyntheticDataset(8, { classes: 2, size: 16 });
  for (let n = 0; n < 5; n++) await rm(join(root, 'green-dots', `${n}.${n % 2 ? 'png' : 'jpg'}`));
  const scan = await scanForClient(root);
  assert.equal(scan.classBalance?.defaultWeights, 'balanced');
  assert.equal(scan.classBalance?.largest, 'red-stripes');
  assert.match(scanText(scan), /imbalanced classes: "red-stripes" has 8 examples, 2\.7× the 3 of "green-dots" — training weights the loss "balanced" by default/);

  const even = await scanForClient(await writeSyntheticDataset(4, { classes: 2, size: 16 }));
  assert.equal(even.classBalance?.defaultWeights, 'none');
});
