// How heatmaps are drawn everywhere: the colour scale, the upsampling between cells, the SVG for script-free pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heatmapColour, heatmapSvg, upsample } from '../../../src/shared/heatmap';

test('colour scale: no evidence is clear, the strongest is opaque enough to see, warmer with more evidence', () => {
  assert.equal(heatmapColour(0)[3], 0);
  assert.equal(heatmapColour(0.05)[3], 0);
  assert.ok(Math.abs(heatmapColour(1)[3] - 0.65) < 1e-9);
  const [r0, , b0] = heatmapColour(0.3), [r1, , b1] = heatmapColour(1);
  assert.ok(r1 > r0 && b1 < b0, 'blue for little, red for much');
  assert.deepEqual(heatmapColour(NaN), heatmapColour(0));
  assert.deepEqual(heatmapColour(7), heatmapColour(1));
});

test('upsampling: cell centres keep their values, between them it is linear, beyond them constant', () => {
  const fine = upsample({ rows: 1, cols: 2, values: [0, 1] }, 4, 1);
  assert.deepEqual(Array.from(fine), [0, 0.25, 0.75, 1]);
  const same = upsample({ rows: 2, cols: 2, values: [0.1, 0.2, 0.3, 0.4] }, 2, 2);
  assert.deepEqual(Array.from(same, (v) => Math.round(v * 100) / 100), [0.1, 0.2, 0.3, 0.4]);
});

test('SVG: one blurred square per visible cell, the border cells repeated outside the picture', () => {
  const svg = heatmapSvg({ rows: 2, cols: 2, values: [0, 0, 0, 1] });
  assert.match(svg, /viewBox="0 0 2 2" preserveAspectRatio="none"/);
  assert.match(svg, /feGaussianBlur/);
  // the bright cell (1, 1) and its copies right, below and diagonally outside: 4 squares; the clear cells none
  assert.equal((svg.match(/<rect /g) ?? []).length, 4);
  assert.ok(svg.includes('<rect x="2" y="2"'));
});
