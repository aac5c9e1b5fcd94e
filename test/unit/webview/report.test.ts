// Exports: the HTML report is self-contained and inert, CSV cells cannot run as spreadsheet formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, metricsCsv } from '../../../src/extension/webviews/report/metricsCsv';
import { cellGalleries, reportImagePaths } from '../../../src/extension/webviews/report/reportGalleries';
import { runReportHtml } from '../../../src/extension/webviews/report/runReport';
import { niceTicks, svgLineChart } from '../../../src/extension/webviews/report/svgChart';
import type { RunSnapshot } from '../../../src/protocol/webview';
import { dashboardMessages } from './messages';

const INJECTION = '"><img src=x onerror=alert(1)>';
const snapshot = (): RunSnapshot => structuredClone((dashboardMessages[0] as Extract<(typeof dashboardMessages)[number], { type: 'run/snapshot' }>).snapshot);

const THUMB = 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDA==';

test('report: no script runs, pictures are embedded thumbnails only, hostile names and paths are text', () => {
  const run = snapshot();
  run.header.experiment = INJECTION;
  run.evaluation!.val.classes[0] = INJECTION;
  const hostilePath = `/d/</script><script>alert(1)</script>.jpg`;
  run.evaluation!.val.samples[1].path = hostilePath;
  // the mistake (true dog, predicted INJECTION) has a thumbnail; a URL or file path offered as one is never used
  const thumbnails = new Map([[hostilePath, THUMB], ['/d/cat/1.jpg', 'file:///d/cat/1.jpg']]);
  assert.deepEqual(reportImagePaths(run), [hostilePath, '/d/cat/1.jpg'], 'the mistake and each non-empty cell\'s images, once');
  const html = runReportHtml(run, new Date('2026-11-28T12:00:00Z'), thumbnails);
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">/);
  const sources = [...html.matchAll(/\s(?:src|href|srcset|poster|data)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]);
  assert.ok(sources.length > 0 && sources.every((src) => src === THUMB), `only the data: thumbnails load: ${sources.join(', ')}`);
  // the fixture's val and test splits share their samples
  assert.equal((html.match(/<img /g) ?? []).length, 4, 'the mistake in the mistakes gallery and in its cell, in both splits');
  assert.equal((html.match(/<img src="data:image\/jpeg;base64,[^"]+" alt="[^"<>]*">/g) ?? []).length, 4, 'every <img> is a thumbnail with a text alternative');
  assert.match(html, /class="no-preview" role="img" aria-label="1\.jpg: true &#34;&#62;&#60;img src=x onerror=alert\(1\)&#62;, predicted/, 'no thumbnail: a labelled placeholder');
  assert.ok(!html.includes('<img src=x'), 'an injected element');
  assert.ok(!/<script(?! type="application\/json" id="transfer-lab-run">)/.test(html), 'only the JSON data block');
  assert.equal((html.match(/<\/script>/g) ?? []).length, 1, 'the data cannot close its script element');
  const data = html.slice(html.indexOf('id="transfer-lab-run">') + 'id="transfer-lab-run">'.length, html.lastIndexOf('</script>'));
  assert.deepEqual(JSON.parse(data), run, 'the inline data is the whole run');
  assert.ok(html.includes('<summary>true dog, predicted &#34;&#62;&#60;img src=x onerror=alert(1)&#62; (1 image)</summary>'), 'a cell\'s gallery names its classes as text');
  assert.ok(html.includes('<span>true &#34;&#62;&#60;img src=x onerror=alert(1)&#62;</span>'), 'a caption shows the class name literally');
  assert.equal((html.match(/<svg /g) ?? []).length, 3, 'loss, accuracy and learning-rate charts');
});

test('report galleries: every non-empty cell until the picture budget is spent, most confident first', () => {
  const classes = Array.from({ length: 60 }, (_, i) => `c${i}`);
  const samples = classes.flatMap((_, label) => Array.from({ length: 20 }, (_, k) => ({ path: `/d/${label}/${k}.jpg`, label, predicted: label, confidence: k / 20 })));
  const split = { ...snapshot().evaluation!.val, classes, count: samples.length, confusionMatrix: classes.map((_, i) => classes.map((__, j) => (i === j ? 20 : 0))), samples };
  const { shown, hidden } = cellGalleries(split);
  assert.equal(shown.length, 50, '400 pictures at 8 per cell');
  assert.equal(hidden, 10, 'the rest are counted, not dropped silently');
  assert.deepEqual(shown[0].samples.map((s) => s.confidence), [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6]);
});

test('report of a text run counts texts and lists its mistakes by their text', () => {
  const run = snapshot();
  run.header.kind = 'text';
  run.evaluation!.val.samples = run.evaluation!.val.samples.map((s, i) => ({ ...s, text: `message number ${i}` }));
  const html = runReportHtml(run, new Date());
  assert.match(html, /accuracy on \d+ texts<\/h2>/);
  assert.ok(!/\bimages?\b/.test(html.slice(0, html.indexOf('<script'))), 'no word of images');
  assert.match(html, /<td>message number \d<\/td>/);
  assert.deepEqual(reportImagePaths(run), [], 'no thumbnails are made for texts');
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
  assert.equal(lines[0], 'type,phase,phaseIndex,epoch,batch,batches,loss,accuracy,val_loss,val_accuracy,learningRate,imagesPerSecond,seconds');
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

test('report heatmaps: an SVG overlay per thumbnail with a heatmap, hidden until the reader ticks the toggle; none say why', () => {
  const run = snapshot();
  const mistake = run.evaluation!.val.samples[1].path;
  const grid = { rows: 2, cols: 2, values: [0, 0.5, 0.25, 1] };
  const html = runReportHtml(run, new Date(), new Map([[mistake, THUMB]]), { grids: new Map([[mistake, grid]]), about: 'CAM on out_relu' });
  const overlays = [...html.matchAll(/<img class="heatmap" src="(data:image\/svg\+xml;base64,[A-Za-z0-9+/]+=*)" alt="">/g)].map((m) => m[1]);
  assert.equal(overlays.length, 4, 'over each of the 4 thumbnails of that image');
  const svg = Buffer.from(overlays[0].split(',')[1], 'base64').toString('utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 2 2" preserveAspectRatio="none">/);
  assert.ok(!/<script|on\w+=|href/i.test(svg), 'the overlay is shapes only');
  assert.match(html, /<input type="checkbox" id="show-heatmaps"> Show where the model looks<\/label> <span class="empty">\(evidence for the predicted class: CAM on out_relu\)/);
  assert.match(html, /img\.heatmap \{ display: none;/);
  assert.match(html, /body:has\(#show-heatmaps:checked\) \.shots img\.heatmap \{ display: block; \}/);
  const none = runReportHtml(run, new Date(), new Map([[mistake, THUMB]]), { grids: new Map(), about: '/runs/r: no heatmaps for this run — its model has no spatial feature map' });
  assert.match(none, /<p class="empty">No heatmaps: \/runs\/r: no heatmaps for this run/);
  assert.ok(!none.includes('class="heatmap"'));
});
