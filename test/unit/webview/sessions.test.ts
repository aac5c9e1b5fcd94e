// The extension-side sessions, run against a fake vscode: ready handshake and replay, validated edits, trust,
// live relay of run events, final evaluation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { TrainableSpec } from '../../../src/protocol/experiment';
import { parse, toDashboardWebview, toLayersWebview, type ToLayersWebview } from '../../../src/protocol/webview';
import { EventEmitter, executed, FakeWebview, installFakeVscode, savedFiles, until, Uri } from './fakeVscode';

installFakeVscode();
// loaded after the fake is in place; type-only imports above are erased
const { LayersSession } = require('../../../src/extension/webviews/layers/layersSession') as typeof import('../../../src/extension/webviews/layers/layersSession');
const { DashboardSession } = require('../../../src/extension/webviews/dashboard/dashboardSession') as typeof import('../../../src/extension/webviews/dashboard/dashboardSession');

const EXPERIMENT = { data: { root: '/d' }, base: { model: 'nsfwjs_mobilenet_v2' }, phases: [{ epochs: 1, batchSize: 8, optimizer: 'adam', learningRate: 1e-3, trainable: { none: true } }, { epochs: 1, batchSize: 8, optimizer: 'adam', learningRate: 1e-4, trainable: { topBlocks: 1 } }] };

/** Fake services; `base` is the model the experiment names (a shipped catalog entry unless a test says otherwise). */
function services(trusted = true, base = 'nsfwjs_mobilenet_v2', data: Record<string, unknown> = EXPERIMENT.data) {
  const experimentChanged = new EventEmitter<Uri>();
  const activeChanged = new EventEmitter<Uri | undefined>();
  const runEvents = new EventEmitter<unknown>();
  const trustGranted = new EventEmitter<void>();
  const edits: [string, number, TrainableSpec][] = [];
  const inspected: string[] = [];
  let active: Uri | undefined = Uri.file('/w/a.experiment.json');
  const fake = {
    edits, inspected, experimentChanged, activeChanged, runEvents,
    setActive: (uri: Uri | undefined) => { active = uri; activeChanged.fire(uri); },
    grantTrust: () => { trusted = true; trustGranted.fire(); },
    readExperiment: async (uri: Uri) => ({ ...EXPERIMENT, name: uri.path, data, base: { model: base } }),
    inspectModel: async (uri: Uri, experiment: { base: { model: string } }) => {
      inspected.push(experiment.base.model);
      return { id: 'm', displayName: uri.path, source: '', origin: '', inputSize: 96, preprocessing: '', featureLayer: 'b', params: 2, trainableParams: 0, layers: [{ index: 0, name: 'a', className: 'Conv2D', outputShape: [null, 2], params: 1, trainable: false, block: 'stem' }, { index: 1, name: 'b', className: 'Conv2D', outputShape: [null, 2], params: 1, trainable: false, block: 'top' }] };
    },
    setTrainable: async (uri: Uri, phaseIndex: number, spec: TrainableSpec) => void edits.push([uri.toString(), phaseIndex, spec]),
    onDidChangeExperiment: experimentChanged.event,
    activeExperiment: () => active,
    experiments: async () => (active ? [active] : []),
    onDidChangeActiveExperiment: activeChanged.event,
    onRunEvent: runEvents.event,
    listRuns: async () => [],
    isTrusted: () => trusted,
    onDidGrantTrust: trustGranted.event,
    thumbnailRequests: [] as string[][],
    thumbnails: async (paths: string[]) => (fake.thumbnailRequests.push(paths), new Map(paths.map((p) => [p, 'data:image/jpeg;base64,AAAA']))),
    heatmapRequests: [] as string[][],
    heatmaps: async (_runDir: string, paths: string[]) => (fake.heatmapRequests.push(paths), {
      method: 'cam' as const, layer: 'out_relu', heatmaps: paths.map((path) => ({ path, classIndex: 0, label: 'a', confidence: 0.9, rows: 1, cols: 2, values: [0.5, 1] })),
    }),
    dataChecks: [] as string[],
    checkRunData: async (dir: string) => (fake.dataChecks.push(dir), { labelIssues: [{ file: '/data/a/1.jpg', given: 'a', suggested: 'b', score: 0.9 }], duplicates: [{ leakage: true }, { leakage: false }] }),
  };
  return fake;
}

const types = (webview: FakeWebview) => webview.posted.map((m) => (m.type === 'layers/status' ? `status:${m.status}` : m.type));

test('layers: ready → loading → show; valid edit written; unknown layer or malformed edit changes nothing', async () => {
  const s = services();
  const webview = new FakeWebview();
  const session = new LayersSession(webview as never, s as never, 'active');
  await webview.send({ type: 'ready' }, 2);
  assert.deepEqual(types(webview), ['status:loading', 'layers/show']);
  assert.ok(webview.posted.every((m) => parse(toLayersWebview, m)));
  await webview.send({ type: 'layers/setTrainable', phaseIndex: 1, spec: { names: ['b'] } });
  await until(() => s.edits.length === 1);
  assert.deepEqual(s.edits, [['file:///w/a.experiment.json', 1, { names: ['b'] }]]);
  await webview.send({ type: 'layers/setTrainable', phaseIndex: 1, spec: { names: ['b', 'ghost'] } }, 1);
  await webview.send({ type: 'layers/setTrainable', phaseIndex: 1, spec: { all: true }, sneaky: true });
  await webview.send({ type: 'layers/setTrainable', phaseIndex: 7, spec: { all: true } }, 1);
  assert.equal(s.edits.length, 1, 'no rejected edit reached the experiment file');
  assert.deepEqual(types(webview).slice(2), ['layers/show', 'layers/show'], 'the webview is told the truth again after each refused edit');
  session.dispose();
});

test('layers: follows the selected experiment and its file changes', async () => {
  const s = services();
  const webview = new FakeWebview();
  const session = new LayersSession(webview as never, s as never, 'active');
  await webview.send({ type: 'ready' }, 2);
  s.experimentChanged.fire(Uri.file('/w/other.experiment.json'));
  await webview.send({ type: 'ignored-unknown-type' });
  assert.equal(webview.posted.length, 2, 'another experiment changing does not refresh this view');
  s.experimentChanged.fire(Uri.file('/w/a.experiment.json'));
  s.setActive(Uri.file('/w/b.experiment.json'));
  const shows = () => webview.posted.filter((m) => m.type === 'layers/show') as { restoreKey?: string }[];
  await until(() => shows().at(-1)?.restoreKey === 'file:///w/b.experiment.json');
  s.setActive(undefined);
  await until(() => types(webview).at(-1) === 'status:noExperiment');
  session.dispose();
});

test('layers, Restricted Mode: a model shipped with the extension is inspected; one named by workspace files is refused until trust', async () => {
  const shipped = services(false, 'nsfwjs_mobilenet_v2');
  const webview = new FakeWebview();
  const session = new LayersSession(webview as never, shipped as never, 'active');
  await webview.send({ type: 'ready' }, 2);
  assert.deepEqual(types(webview), ['status:loading', 'layers/show']);
  session.dispose();

  const text = { kind: 'text', root: 'reviews.csv', maxLength: 16 };
  const refused: [string, ReturnType<typeof services>][] = [
    ['a local model file', services(false, './models/model.json')],
    ['a catalog entry that downloads', services(false, 'mobilenet_v1_0.25_224')],
    ['a URL', services(false, 'https://example.com/model.json')],
    ['a BERT checkpoint folder', services(false, './models/tiny-bert', text)],
    ['a Hugging Face id', services(false, 'google/bert_uncased_L-2_H-128_A-2', text)],
  ];
  for (const [what, s] of refused) {
    const locked = new FakeWebview();
    const lockedSession = new LayersSession(locked as never, s as never, 'active');
    await locked.send({ type: 'ready' }, 2);
    assert.deepEqual(types(locked), ['status:loading', 'status:restricted'], what);
    assert.match(String(locked.posted[1].message), /Trust this workspace/, what);
    assert.deepEqual(s.inspected, [], `${what}: the host was never asked to load it`);
    s.grantTrust();
    await until(() => types(locked).at(-1) === 'layers/show');
    lockedSession.dispose();
  }
});

test('layers: a text experiment shows its BERT blocks; toggles of encoder sub-layers reach the file, unknown ones do not', async () => {
  const s = services(true, './models/tiny-bert', { kind: 'text', root: 'reviews.csv', maxLength: 16 });
  const bertRow = (index: number, name: string, block: string) => ({ index, name, className: 'Dense', outputShape: [null, 16, 32], params: 10, trainable: false, block });
  const layers = [bertRow(0, 'embeddings.word_embeddings', 'embeddings'), bertRow(1, 'encoder.layer.0.output.dense', 'encoder.layer.0'), bertRow(2, 'encoder.layer.1.output.dense', 'encoder.layer.1')];
  const model = await s.inspectModel(Uri.file('/w/a.experiment.json'), EXPERIMENT);
  const text = { ...model, displayName: 'BERT L-2 H-32 A-2', inputSize: 16, featureLayer: 'mean pooling', layers };
  const webview = new FakeWebview();
  const session = new LayersSession(webview as never, { ...s, inspectModel: async () => text } as never, 'active');
  await webview.send({ type: 'ready' }, 2);
  const show = webview.posted[1] as Extract<ToLayersWebview, { type: 'layers/show' }>;
  assert.ok(parse(toLayersWebview, show, (r) => assert.fail(r)));
  assert.equal(show.model.kind, 'text');
  assert.deepEqual(show.model.layers.map((l) => [l.block, l.outputShape]), [['embeddings', '16×32'], ['encoder.layer.0', '16×32'], ['encoder.layer.1', '16×32']]);
  await webview.send({ type: 'layers/setTrainable', phaseIndex: 1, spec: { names: ['encoder.layer.1.output.dense'] } });
  await until(() => s.edits.length === 1);
  await webview.send({ type: 'layers/setTrainable', phaseIndex: 1, spec: { fromLayer: 'encoder.layer.7.output.dense' } }, 1);
  assert.deepEqual(s.edits, [['file:///w/a.experiment.json', 1, { names: ['encoder.layer.1.output.dense'] }]]);
  session.dispose();
});

function runDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tl-session-'));
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ state: 'running', startedAt: '2026-11-28T10:00:00Z', updatedAt: '2026-11-28T10:00:00Z' }));
  writeFileSync(join(dir, 'experiment.json'), JSON.stringify({ name: 'a', data: { root: '/data' }, base: { model: 'm' }, phases: [{ epochs: 2, batchSize: 8, learningRate: 1e-3, trainable: { none: true } }] }));
  writeFileSync(join(dir, 'metrics.jsonl'), `${JSON.stringify({ type: 'batch', phase: 'p', phaseIndex: 0, epoch: 1, batch: 1, batches: 2, loss: 1, accuracy: 0.5, learningRate: 1e-3, imagesPerSecond: 10 })}\n`);
  return dir;
}

test('dashboard: events before ready are replayed after the snapshot; other runs ignored; the end brings state and evaluation', async () => {
  const s = services();
  const dir = runDir();
  const webview = new FakeWebview();
  const session = new DashboardSession(webview as never, dir, ['/data'], s as never);
  const batch = { runDir: dir, phase: 'p', phaseIndex: 0, epoch: 1, batch: 2, batches: 2, loss: 0.9, accuracy: 0.6, learningRate: 1e-3, imagesPerSecond: 12 };
  s.runEvents.fire({ kind: 'batch', data: batch });
  s.runEvents.fire({ kind: 'batch', data: { ...batch, runDir: '/elsewhere' } });
  assert.equal(webview.posted.length, 0, 'nothing is posted before the page is ready');
  await webview.send({ type: 'ready' }, 2);
  assert.deepEqual(types(webview), ['run/snapshot', 'run/batch']);
  s.runEvents.fire({ kind: 'epoch', data: { ...batch, epochs: 2, val_loss: 1, val_accuracy: 0.5, seconds: 1 } });
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ state: 'completed', startedAt: '2026-11-28T10:00:00Z', updatedAt: '2026-11-28T10:05:00Z' }));
  writeFileSync(join(dir, 'evaluation.json'), JSON.stringify({ val: { split: 'val', classes: ['a'], count: 1, accuracy: 1, confusionMatrix: [[1]], perClass: [{ name: 'a', precision: 1, recall: 1, f1: 1, support: 1 }], macro: { precision: 1, recall: 1, f1: 1 }, samples: [{ path: '/data/a/1.jpg', label: 0, predicted: 0, confidence: 1 }] } }));
  s.runEvents.fire({ kind: 'state', data: { runDir: dir, state: 'completed' } });
  await until(() => webview.posted.length === 9);
  assert.deepEqual(types(webview).slice(2), ['run/epoch', 'run/state', 'run/state', 'run/endings', 'run/evaluation', 'run/dataHealth', 'run/dataHealth']);
  for (const m of webview.posted) assert.ok(parse(toDashboardWebview, m, (r) => assert.fail(`${m.type}: ${r}`)));
  const evaluation = webview.posted.at(-3) as unknown as { evaluation: { val: { samples: { image?: string }[] } } };
  assert.equal(evaluation.evaluation.val.samples[0].image, 'https://webview.test/data/a/1.jpg');
  // the completed image run's data, checked once from cached features: "checking data…", then the counts
  assert.deepEqual(webview.posted.slice(-2), [{ type: 'run/dataHealth', state: 'checking', labelIssues: 0, leaked: 0 }, { type: 'run/dataHealth', state: 'checked', labelIssues: 1, leaked: 1 }]);
  assert.deepEqual(s.dataChecks, [dir]);
  const final = webview.posted.at(-5) as unknown as { state: { updatedAt?: string } };
  assert.equal(final.state.updatedAt, '2026-11-28T10:05:00Z');
  session.dispose();
});

test('dashboard: the HTML report embeds thumbnails of the images inside the dataset folders only', async () => {
  const s = services();
  const dir = runDir();
  const sample = (path: string, label: number, predicted: number) => ({ path, label, predicted, confidence: 0.9 });
  writeFileSync(join(dir, 'evaluation.json'), JSON.stringify({ val: { split: 'val', classes: ['a', 'b'], count: 3, accuracy: 1 / 3, confusionMatrix: [[1, 1], [1, 0]], perClass: [], macro: { precision: 0, recall: 0, f1: 0 }, samples: [sample('/data/a/1.jpg', 0, 0), sample('/data/a/2.jpg', 0, 1), sample('/etc/b/3.jpg', 1, 0)] } }));
  const webview = new FakeWebview();
  const session = new DashboardSession(webview as never, dir, ['/data'], s as never);
  await webview.send({ type: 'export/html' });
  await until(() => savedFiles.has(join(dir, `${basename(dir)}-report.html`)));
  assert.deepEqual(s.thumbnailRequests, [['/data/a/2.jpg', '/data/a/1.jpg']], 'the mistake first, then each cell\'s images; never a path outside the dataset');
  const html = Buffer.from(savedFiles.get(join(dir, `${basename(dir)}-report.html`))!).toString('utf8');
  assert.equal((html.match(/<img src="data:image\/jpeg;base64,AAAA"/g) ?? []).length, 3, 'the mistake (gallery and cell) and the correct one');
  assert.match(html, /class="no-preview" role="img" aria-label="3\.jpg: true b, predicted a/);
  session.dispose();
});

test('dashboard: heatmaps are made for the images the page shows, inside the dataset folders only; a failure is shown', async () => {
  const s = services();
  const webview = new FakeWebview();
  const session = new DashboardSession(webview as never, runDir(), ['/data'], s as never);
  await webview.send({ type: 'heatmaps/request', paths: ['/data/a/1.jpg', '/etc/passwd', '/data/../etc/shadow'] }, 1);
  assert.deepEqual(s.heatmapRequests, [['/data/a/1.jpg']]);
  const answer = webview.posted.at(-1)!;
  assert.ok(parse(toDashboardWebview, answer), 'a valid message');
  assert.deepEqual(answer, { type: 'run/heatmaps', method: 'cam', layer: 'out_relu', heatmaps: [{ path: '/data/a/1.jpg', label: 'a', rows: 1, cols: 2, values: [0.5, 1] }] });
  s.heatmaps = async () => { throw new Error('/runs/r: the run did not complete (running), so it has no exported model yet'); };
  await webview.send({ type: 'heatmaps/request', paths: ['/data/a/2.jpg'] }, 1);
  const failed = webview.posted.at(-1)!;
  assert.ok(parse(toDashboardWebview, failed));
  assert.match((failed as { error?: string }).error ?? '', /did not complete/);
  session.dispose();
});

test('dashboard: a thumbnail opens its image in an editor, only from inside the run\'s dataset folders', async () => {
  const webview = new FakeWebview();
  const session = new DashboardSession(webview as never, runDir(), ['/data'], services() as never);
  executed.length = 0;
  await webview.send({ type: 'open/image', path: '/data/a/1.jpg' });
  await webview.send({ type: 'open/image', path: '/data/../etc/passwd' });
  await webview.send({ type: 'open/image', path: '/etc/passwd' });
  await until(() => executed.length >= 1);
  assert.deepEqual(executed.map(([command, uri]) => [command, (uri as Uri).fsPath]), [['vscode.open', '/data/a/1.jpg']]);
  session.dispose();
});

test('dashboard: Evaluate\'s "Open Dashboard" asks for one evaluation, shown once the page is ready', async () => {
  const webview = new FakeWebview();
  const session = new DashboardSession(webview as never, runDir(), ['/data'], services() as never);
  session.showSplit('holdout');
  assert.equal(webview.posted.length, 0, 'nothing before ready');
  await webview.send({ type: 'ready' }, 2);
  assert.deepEqual(types(webview).slice(0, 2), ['run/snapshot', 'run/showSplit']);
  assert.ok(parse(toDashboardWebview, webview.posted[1]));
  session.dispose();
});

test('dashboard: Check Dataset asks for the Data Health panel of this run; a running run gets no data line', async () => {
  const s = services();
  const dir = runDir();
  const webview = new FakeWebview();
  const session = new DashboardSession(webview as never, dir, ['/data'], s as never);
  await webview.send({ type: 'ready' }, 1);
  executed.length = 0;
  await webview.send({ type: 'check/data' });
  await until(() => executed.length >= 1);
  assert.deepEqual(executed, [['transferLab.checkDataset', dir]]);
  assert.deepEqual(s.dataChecks, [], 'no check while the run has not completed');
  assert.ok(!types(webview).includes('run/dataHealth'));
  session.dispose();
});
