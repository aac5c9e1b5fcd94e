import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CATALOG, findCatalogEntry } from '../../../src/shared/catalog';
import { nsfwjsModelFolder } from '../../../src/engine/models/nsfwjs';
import { PREPROCESSINGS } from '../../../src/shared/preprocessing';
import { inputSizeOf, layerNames } from '../../../src/engine/models/surgery';

test('catalog ids are unique and findCatalogEntry finds each one', () => {
  assert.equal(new Set(CATALOG.map((e) => e.id)).size, CATALOG.length);
  for (const entry of CATALOG) assert.equal(findCatalogEntry(entry.id), entry);
  assert.equal(findCatalogEntry('no-such-model'), undefined);
});

test('every entry has a sane size range, a known preprocessing and an honest origin', () => {
  for (const e of CATALOG) {
    assert.ok(e.minInputSize <= e.defaultInputSize && e.defaultInputSize <= e.maxInputSize, e.id);
    assert.ok(PREPROCESSINGS.includes(e.preprocessing), e.id);
    assert.ok(e.params > 0 && e.sizeOnDiskBytes > 0, e.id);
    assert.ok(e.origin.length > 20 && e.licence.length > 0, e.id);
    if (e.source.kind === 'url') assert.match(e.source.url, /^https:\/\/.+\/model\.json$/, e.id);
  }
});

test('the nsfwjs entries match the shipped files: cut layer exists, input size, bytes on disk', () => {
  for (const e of CATALOG) {
    if (e.source.kind !== 'nsfwjs') continue;
    const folder = nsfwjsModelFolder(e.source.name);
    const topology = require(path.join(folder, 'model.min.js')).modelTopology;
    assert.ok(layerNames(topology).includes(e.defaultCutLayer), e.id);
    assert.equal(inputSizeOf(topology), e.defaultInputSize, e.id);
    const bytes = readdirSync(folder).reduce((sum, f) => sum + statSync(path.join(folder, f)).size, 0);
    assert.equal(e.sizeOnDiskBytes, bytes, e.id);
  }
});
