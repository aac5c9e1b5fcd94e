// Theme colours (read from --vscode-* variables at run time) get an alpha for the faint per-batch trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withAlpha } from '../../../webview/common/color';

test('every colour form VS Code themes use', () => {
  assert.equal(withAlpha('#3794ff', 0.35), 'rgba(55, 148, 255, 0.35)');
  assert.equal(withAlpha(' #fff ', 0.5), 'rgba(255, 255, 255, 0.5)');
  assert.equal(withAlpha('#3794ff80', 0.2), 'rgba(55, 148, 255, 0.2)');
  assert.equal(withAlpha('#f0f8', 1), 'rgba(255, 0, 255, 1)');
  assert.equal(withAlpha('rgba(204, 204, 204, 0.5)', 0.1), 'rgba(204, 204, 204, 0.1)');
  assert.equal(withAlpha('rgb(1 2 3 / 50%)', 0.3), 'rgba(1, 2, 3, 0.3)');
  assert.equal(withAlpha('tomato', 0.3), 'tomato');
  assert.equal(withAlpha('#12345', 0.3), '#12345');
});
