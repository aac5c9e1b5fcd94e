// Exports: the HTML report is self-contained and inert, CSV cells cannot run as spreadsheet formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, metricsCsv } from '../../../src/extension/webviews/report/metricsCsv';
import { runReportHtml } from '../../../src/extension/webviews/report/runReport';
import { niceTicks, svgLineChart } from '../../../src/extension/webviews/report/svgChart';
import type { RunSnapshot } from '../../../src/protocol/webview';
import { dashboardMessages } from './messages';

const INJECTION = '"><img src=x onerror=alert(1)>';
const snapshot = (): RunSnapshot => structuredClone((dashboardMessages[0] as Extract<(typeof dashboardMessages)[number], { type: 'run/snapshot' }>).snapshot);

test('report: no script runs, nothing loads from outside, hostile names are text', () => {
  const run = snapshot();
  run.header.experiment = INJECTION;
  run.evaluation!.val.classes[0] = INJECTION;
  run.evaluation!.val.samples[1].path = `/d/</script><script>alert(1)</script>.jpg`;
  const html = runReportHtml(run, new Date('2026-11-28T12:00:00Z'));
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
  assert.ok(!html.includes('<img'), 'an injected element');
  assert.ok(!/<script(?! type="application\/json" id="transfer-lab-run">)/.test(html), 'only the JSON data block');
  assert.ok(!/\s(src|href)="/.test(html), 'no resource attribute at all');
  assert.equal((html.match(/<\/script>/g) ?? []).length, 1, 'the data cannot close its script element');
  const data = html.slice(html.indexOf('id="transfer-lab-run">') + 'id="transfer-lab-run">'.length, html.lastIndexOf('</script>'));
  assert.deepEqual(JSON.parse(data), run, 'the inline data is the whole run');
  assert.ok(html.includes('&#34;&#62;&#60;img src=x onerror=alert(1)&#62;'));
  assert.equal((html.match(/<svg /g) ?? []).length, 3, 'loss, accuracy and learning-rate charts');
});

test('report of a text run counts texts and lists its mistakes by their text', () => {
  const run = snapshot();
  run.header.kind = 'text';
  run.evaluation!.val.samples = run.evaluation!.val.samples.map((s, i) => ({ ...s, text: `message number ${i}` }));
  const html = runReportHtml(run, new Date());
  assert.match(html, /accuracy on \d+ texts<\/h2>/);
  assert.ok(!/\bimages?\b/.test(html.slice(0, html.indexOf('<script'))), 'no word of images');
  assert.match(html, /<td>message number \d<\/td>/);
});

test('report of a run without an evaluation or metrics says so', () => {
  const html = runReportHtml({ ...snapshot(), epochs: [], batches: [], evaluation: undefined }, new Date());
  assert.match(html, /No evaluation: the run did not complete/);
  assert.match(html, /Loss: no data yet/);
});

test('CSV: header, batches then their epoch, in training order; formulas neutralised, quotes escaped', () => {
  const run = snapshot();
  run.header.phases[0].name = '=HYPERLINK("http://evil","x")';
  run.batches = [{ ...run.batches[0], batch: 2 }, { ...run.batches[0], batch: 1 }];
  const lines = metricsCsv(run).trimEnd().split('\n');
  assert.equal(lines[0], 'type,phase,phaseIndex,epoch,batch,batches,loss,accuracy,valLoss,valAccuracy,learningRate,imagesPerSecond,seconds');
  assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]), ['batch', 'batch', 'epoch']);
  assert.ok(lines[1].startsWith(`batch,"'=HYPERLINK(""http://evil"",""x"")",0,1,1,18,,`), lines[1]);
  assert.equal(csvCell(-0.5), '-0.5', 'negative numbers stay numbers');
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell(Number.NaN), '');
  assert.equal(csvCell('a\nb'), '"a\nb"');
});

test('SVG charts: round ticks, log axes, escaped labels', () => {
  assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(0.93, 3.07), [1, 1.5, 2, 2.5, 3]);
  assert.deepEqual(niceTicks(2, 2), [2]);
  const svg = svgLineChart({ title: INJECTION, formatY: String, markers: [{ x: 1, label: '<b>fine-tune</b>' }], series: [{ label: INJECTION, color: 'red', points: [{ x: 0, y: 1e-3 }, { x: 2, y: 1e-4 }] }], logY: true });
  assert.ok(!svg.includes('<img') && !svg.includes('<b>'));
  assert.match(svg, /^<svg viewBox="0 0 640 260"/);
});
