import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyExperiment } from '../../../src/protocol/experiment';
import { inspectRefusal, modelNeedsTrust } from '../../../src/extension/trustPolicy';

test('only models shipped with the extension load in Restricted Mode; files and downloads need trust', () => {
  assert.equal(modelNeedsTrust('nsfwjs_mobilenet_v2'), false);
  assert.equal(modelNeedsTrust('nsfwjs_inception_v3'), false);
  assert.equal(modelNeedsTrust('mobilenet_v1_0.25_224'), true, 'a catalog entry that downloads');
  assert.equal(modelNeedsTrust('mobilenet_v2'), true, 'ImageNet MobileNetV2 downloads its weights');
  assert.equal(modelNeedsTrust('./models/model.json'), true);
  assert.equal(modelNeedsTrust('https://example.com/model.json'), true);
});

test('the Layers view inspects only shipped image models in Restricted Mode; a text base is never shipped', () => {
  const image = (model: string) => ({ name: 'e', data: { root: 'd' }, base: { model }, phases: [] }) as unknown as AnyExperiment;
  const text = (model: string) => ({ name: 'e', data: { kind: 'text', root: 'd.csv' }, base: { model }, phases: [] }) as unknown as AnyExperiment;
  assert.equal(inspectRefusal(image('nsfwjs_mobilenet_v2'), false), undefined);
  assert.match(inspectRefusal(image('./m/model.json'), false) ?? '', /\(\.\/m\/model\.json\).*Trust this workspace/);
  assert.match(inspectRefusal(text('google/bert_uncased_L-2_H-128_A-2'), false) ?? '', /Trust this workspace/);
  assert.match(inspectRefusal(text('nsfwjs_mobilenet_v2'), false) ?? '', /Trust this workspace/, 'a catalog image id in a text experiment is still a BERT to find on disk or online');
  for (const e of [image('./m/model.json'), text('./bert')]) assert.equal(inspectRefusal(e, true), undefined);
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
