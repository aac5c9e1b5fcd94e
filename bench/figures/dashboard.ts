// Dashboard paint latency: the dashboard bundle in headless Chromium (the webview harness's page server and page),
// live batch and epoch messages posted as the extension does, timed by the page's own hook (message → painted chart).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchPoint, EpochPoint, RunSnapshot } from '../../src/protocol/webview';
import { figure, type Figure, type Skipped } from '../report';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..');
const BATCHES_PER_EPOCH = 10;
const EPOCHS = 10;

type Hook = { transferLabBench?: { median(): number; samples(): number[]; reset(): void } };

function batchPoint(epoch: number, batch: number): BatchPoint {
  const t = epoch + batch / BATCHES_PER_EPOCH;
  return { phaseIndex: 0, epoch, batch, batches: BATCHES_PER_EPOCH, loss: 1 / t, accuracy: 1 - 0.5 / t, learningRate: 0.001, imagesPerSecond: 100 };
}

function epochPoint(epoch: number): EpochPoint {
  return { phaseIndex: 0, epoch, loss: 1 / epoch, accuracy: 1 - 0.5 / epoch, valLoss: 1.1 / epoch, valAccuracy: 1 - 0.6 / epoch, learningRate: 0.001, seconds: 3 };
}

function runningSnapshot(): RunSnapshot {
  const phases = [{ name: 'feature-extraction', epochs: EPOCHS, batchSize: 32, learningRate: 0.001, trainable: { none: true as const } }];
  return {
    restoreKey: 'bench', header: { run: 'bench', experiment: 'bench', kind: 'image', baseModel: 'nsfwjs_mobilenet_v2', dataset: '/bench', phases },
    state: { state: 'running', startedAt: new Date().toISOString() }, epochs: [epochPoint(1)],
    batches: Array.from({ length: BATCHES_PER_EPOCH }, (_, b) => batchPoint(1, b + 1)),
  };
}

export async function dashboardFigures(): Promise<{ figures?: Figure[]; skipped?: Skipped[] }> {
  const label = 'dashboard: metrics message → chart painted';
  const skip = (reason: string) => ({ skipped: [{ id: 'dashboard', label, reason }] });
  if (!existsSync(join(ROOT, 'dist', 'webview', 'dashboard.js'))) return skip('dist/webview/dashboard.js not built');
  if (!existsSync(CHROMIUM)) return skip(`no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  const harness = join(ROOT, 'test', 'unit', 'webview', 'harness');
  if (!existsSync(join(harness, 'pageServer.ts'))) return skip('the webview harness (test/unit/webview/harness) is missing');
  const { startPageServer } = await import(join(harness, 'pageServer'));
  const { launch, WebviewPage } = await import(join(harness, 'browser'));
  const server = await startPageServer(join(ROOT, 'dist', 'webview'), []);
  const browser = await launch();
  try {
    const view = await WebviewPage.open(browser, server.url('dashboard', 'dark'), 1200, 900);
    await view.post({ type: 'run/snapshot', snapshot: runningSnapshot() });
    const hooked = await view.page.evaluate(() => (globalThis as unknown as Hook).transferLabBench !== undefined);
    if (!hooked) return skip('the dashboard exposes no window.transferLabBench hook');
    await view.page.evaluate(() => (globalThis as unknown as Hook).transferLabBench!.reset());
    for (let epoch = 2; epoch <= EPOCHS; epoch++) {
      for (let batch = 1; batch <= BATCHES_PER_EPOCH; batch++) await view.post({ type: 'run/batch', point: batchPoint(epoch, batch) });
      await view.post({ type: 'run/epoch', point: epochPoint(epoch) });
    }
    const samples: number[] = await view.page.evaluate(() => (globalThis as unknown as Hook).transferLabBench!.samples());
    const median: number = await view.page.evaluate(() => (globalThis as unknown as Hook).transferLabBench!.median());
    await view.close();
    return {
      figures: [figure({
        id: 'dashboard', kind: 'value', label, value: median, unit: 'ms', target: { op: '<=', value: 50 },
        note: `median of ${samples.length} live batch/epoch messages, max ${Math.max(...samples).toFixed(1)} ms; headless Chromium, page's own hook`,
      })],
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
