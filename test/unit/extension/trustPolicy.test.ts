import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelNeedsTrust } from '../../../src/extension/trustPolicy';

test('only models shipped with the extension load in Restricted Mode; files and downloads need trust', () => {
  assert.equal(modelNeedsTrust('mobilenet_v2'), false);
  assert.equal(modelNeedsTrust('inception_v3'), false);
  assert.equal(modelNeedsTrust('mobilenet_v1_0.25_224'), true, 'a catalog entry that downloads');
  assert.equal(modelNeedsTrust('./models/model.json'), true);
  assert.equal(modelNeedsTrust('https://example.com/model.json'), true);
});

test('settings a workspace could abuse (paths, what runs, memory) are machine-scoped or restricted in Restricted Mode', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  const settings: Record<string, { scope?: string }> = manifest.contributes.configuration.properties;
  const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.equal(settings['transferLab.cacheFolder'].scope, 'machine', 'a folder the host writes to');
  for (const [name, setting] of Object.entries(settings)) {
    assert.ok(setting.scope === 'machine' || restricted.includes(name), `${name}: a workspace could set it (scope ${setting.scope}) and it is not restricted`);
  }
});
