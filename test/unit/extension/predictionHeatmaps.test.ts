// Predict's heatmap page: each readable image beside its overlay for the top class, script-free, names as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictionHeatmapsHtml } from '../../../src/extension/commands/predictionHeatmaps';

const THUMB = 'data:image/jpeg;base64,/9j/4AAQSkZJRg==';

test('the heatmap page: image and overlay per image, the top class with its confidence, unreadable ones say why', () => {
  const html = predictionHeatmapsHtml('run-1', {
    method: 'grad-cam', layer: 'out_relu', heatmaps: [
      { path: '/d/"><img src=x onerror=alert(1)>.png', classIndex: 1, label: 'tulip', confidence: 0.931, rows: 2, cols: 2, values: [0, 1, 0.5, 0] },
      { path: '/d/broken.jpg', error: 'not an image (text renamed .jpg)' },
    ],
  }, new Map([['/d/"><img src=x onerror=alert(1)>.png', THUMB]]), 'abc123');
  assert.match(html, /content="default-src 'none'; img-src data:; style-src 'nonce-abc123'"/);
  assert.ok(!/<script/i.test(html) && !html.includes('<img src=x'), 'no script, no injected element');
  assert.equal((html.match(/<img src="data:image\/jpeg/g) ?? []).length, 2, 'the image, plain and under its heatmap');
  assert.equal((html.match(/<img class="heatmap" src="data:image\/svg\+xml;base64,/g) ?? []).length, 1);
  assert.match(html, /tulip \(93\.1%\)/);
  assert.match(html, /Grad-CAM on out_relu/);
  assert.match(html, /broken\.jpg<\/strong><p class="error">No heatmap: not an image \(text renamed \.jpg\)/);
});
