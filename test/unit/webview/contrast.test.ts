// Confusion-matrix counts must pass WCAG AA (4.5:1) on every shade a cell can take, in the four default themes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellColours, contrastRatio, MIN_CONTRAST, mix, parseColor, type MatrixPalette } from '../../../webview/shared/contrast';
import { matrixCells } from '../../../webview/shared/matrix';
import { THEMES, type ThemeName } from './harness/themes';
import { REPORT_MATRIX } from '../../../src/extension/webviews/report/reportStyle';

/** What matrixPalette() reads from a theme's variables. */
function palette(theme: ThemeName): MatrixPalette {
  const v = THEMES[theme].vars;
  return { background: v['--vscode-editor-background'], foreground: v['--vscode-editor-foreground'], correct: v['--vscode-charts-blue'], wrong: v['--vscode-charts-red'] };
}

const THEME_LIST: ThemeName[] = ['light', 'dark', 'high-contrast', 'high-contrast-light'];

test('WCAG arithmetic: black on white is 21:1, a colour on itself 1:1, the spec\'s mid grey', () => {
  assert.equal(contrastRatio([0, 0, 0], [255, 255, 255]), 21);
  assert.equal(contrastRatio([18, 52, 86], [18, 52, 86]), 1);
  assert.ok(Math.abs(contrastRatio([118, 118, 118], [255, 255, 255]) - 4.54) < 0.01, '#767676 on white is the lightest AA grey');
  assert.deepEqual(parseColor('#1a85ff'), [26, 133, 255]);
  assert.deepEqual(parseColor('rgba(204, 204, 204, 0.5)'), [204, 204, 204]);
  assert.deepEqual(mix([255, 255, 255], [0, 0, 0], 0.5), [128, 128, 128]);
});

for (const theme of THEME_LIST) {
  test(`${theme}: every cell shade (all 256 intensities, correct and wrong) keeps its count at ≥ 4.5:1`, () => {
    const colours = palette(theme);
    let worst = Infinity;
    for (const correct of [true, false]) {
      for (let step = 0; step <= 255; step++) {
        const cell = cellColours(colours, correct, step / 255);
        const ratio = contrastRatio(parseColor(cell.color)!, parseColor(cell.background)!);
        worst = Math.min(worst, ratio);
        assert.ok(ratio >= MIN_CONTRAST, `${theme}, ${correct ? 'correct' : 'wrong'} cell at intensity ${(step / 255).toFixed(3)}: ${cell.color} on ${cell.background} is ${ratio.toFixed(2)}:1`);
      }
    }
    // and the real matrix of a small run: every cell it draws
    for (const cell of matrixCells([[10, 2, 0], [1, 7, 4], [0, 3, 9]], 'counts').flat()) {
      const { color, background } = cellColours(colours, cell.correct, cell.intensity);
      assert.ok(contrastRatio(parseColor(color)!, parseColor(background)!) >= MIN_CONTRAST);
    }
    assert.ok(worst >= MIN_CONTRAST, `worst ${worst.toFixed(2)}:1`);
  });

  test(`${theme}: a full-strength mistake cell is told apart from a correct one by more than its text`, () => {
    const colours = palette(theme);
    const [hit, miss] = [true, false].map((correct) => parseColor(cellColours(colours, correct, 1).background)!);
    const distance = Math.hypot(...hit.map((v, i) => v - miss[i]));
    assert.ok(distance > 120, `correct ${hit} vs wrong ${miss}: RGB distance ${distance.toFixed(0)}`);
  });
}

test('the HTML report\'s matrix passes too, in its light and its dark scheme', () => {
  for (const [scheme, colours] of Object.entries(REPORT_MATRIX)) {
    for (const correct of [true, false]) {
      for (let step = 0; step <= 255; step++) {
        const cell = cellColours(colours, correct, step / 255);
        const ratio = contrastRatio(parseColor(cell.color)!, parseColor(cell.background)!);
        assert.ok(ratio >= MIN_CONTRAST, `report ${scheme}, ${correct ? 'correct' : 'wrong'} at ${(step / 255).toFixed(3)}: ${ratio.toFixed(2)}:1`);
      }
    }
  }
});
