// The training host serves run/heatmaps: a finished image run's heatmaps for the files asked, errors by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { TrainingHost } from '../../../src/host/client';
import { Requests } from '../../../src/protocol/host';
import { REPO } from '../cli/runCli';
import { writeExportedRun } from '../fixtures/exportedRun';

test('run/heatmaps on the real host: one grid per file asked, in order; a folder that is no run is refused by name', async (t) => {
  const runDir = await writeExportedRun(['cat', 'dog']);
  const image = join(runDir, 'one.png');
  await sharp({ create: { width: 50, height: 80, channels: 3, background: '#208040' } }).png().toFile(image);
  const host = await TrainingHost.start({ script: join(REPO, 'dist', 'host.js'), engine: 'wasm' });
  t.after(async () => (host.dispose(), await rm(runDir, { recursive: true, force: true })));
  const result = await host.connection.sendRequest(Requests.heatmaps, { runDir, files: [image] });
  assert.equal(result.method, 'grad-cam', 'the fixture head has a hidden layer');
  assert.equal(result.heatmaps.length, 1);
  const [map] = result.heatmaps;
  assert.equal(map.path, image);
  assert.ok(['cat', 'dog'].includes(map.label!));
  assert.equal(map.values!.length, map.rows! * map.cols!);
  await assert.rejects(host.connection.sendRequest(Requests.heatmaps, { runDir: join(runDir, 'nope'), files: [image] }), /nope: no such folder/);
});
