// `npm run bench [-- --json] [-- --quick] [-- --only section,section]`: every performance figure of Transfer Lab
// measured in one run against its baseline on the same images, printed as a table and written to
// bench/results/latest.json (--json also prints it as the last stdout line). Exits 1 when a target is missed, 2 when
// a section failed.
import { cpus, tmpdir } from 'node:os';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectEngine } from '../src/engine/backend/select';
import type { BenchContext } from './context';
import { experimentImages } from './imageSets';
import { load, log } from './measure';
import { table, type Figure, type Skipped } from './report';
import { featureExtractionFigures } from './figures/featureExtraction';
import { augmentationViewFigures } from './figures/augmentationViews';
import { throughputFigures } from './figures/throughput';
import { baseSpeedFigures } from './figures/baseSpeed';
import { activationFigures } from './figures/activation';
import { fineTuneFigures } from './figures/fineTune';
import { memoryFigures } from './figures/memory';
import { placementDetails, placementText } from './figures/placement';
import { dashboardFigures } from './figures/dashboard';
import { onnxPeerFigures } from './figures/onnxPeer';
import { peerFigures } from './figures/peers';
import { doctorFigures } from './figures/doctor';
import { searchFigures } from './figures/search';

type Section = (ctx: BenchContext) => Promise<{ figures?: Figure[]; skipped?: Skipped[]; details?: Record<string, unknown> }>;

const SECTIONS: Record<string, Section> = {
  placement: async (ctx) => ({ details: await placementDetails(ctx, (await selectEngine('wasm')).detail) }),
  throughput: throughputFigures,
  baseSpeed: baseSpeedFigures,
  features: featureExtractionFigures,
  augmentationViews: augmentationViewFigures,
  fineTune: fineTuneFigures,
  memory: memoryFigures,
  activation: activationFigures,
  dashboard: dashboardFigures,
  onnxPeer: onnxPeerFigures,
  peers: peerFigures,
  doctor: doctorFigures,
  search: searchFigures,
};

async function main(): Promise<number> {
  const { values: flags } = parseArgs({ options: { json: { type: 'boolean' }, quick: { type: 'boolean' }, only: { type: 'string' } } });
  const quick = flags.quick === true;
  const started = performance.now();
  const engine = await selectEngine('wasm');
  const images = quick ? await experimentImages(16, 8) : await experimentImages(100, 25);
  const fullImages = quick ? await experimentImages(48, 16) : await experimentImages(1000, 500);
  const work = await mkdtemp(join(tmpdir(), 'transfer-lab-bench-'));
  const ctx: BenchContext = { work, quick, images, fullImages, inputSize: quick ? 96 : 160, batchSize: 32, epochs: 10 };
  const loadAtStart = load();
  log(`${engine.detail}\nimages: ${images.description}: ${images.trainCount} + ${images.valCount} (subset), ${fullImages.trainCount} + ${fullImages.valCount} (full)`);

  const figures: Figure[] = [];
  const skipped: Skipped[] = [];
  const details: Record<string, unknown> = {};
  const failed: string[] = [];
  const only = flags.only?.split(',');
  try {
    for (const [name, section] of Object.entries(SECTIONS)) {
      if (only && !only.includes(name)) continue;
      const sectionStart = performance.now();
      try {
        const result = await section(ctx);
        figures.push(...(result.figures ?? []));
        skipped.push(...(result.skipped ?? []));
        if (result.details) details[name] = result.details;
      } catch (error) {
        // One broken section must not hide the others' figures; the run still fails (exit 2).
        failed.push(name);
        skipped.push({ id: name, label: `section "${name}"`, reason: `failed: ${(error as Error).message.split('\n')[0]}` });
        log(`${name} failed: ${(error as Error).stack ?? error}`);
      }
      log(`${name}: ${((performance.now() - sectionStart) / 1000).toFixed(0)} s`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }

  const result = {
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    seconds: (performance.now() - started) / 1000,
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadAtStart, loadAtEnd: load() },
    engine: engine.detail,
    images: { subset: images, full: fullImages, inputSize: ctx.inputSize, quick },
    figures,
    skipped,
    details,
  };
  const resultsDir = join(__dirname, 'results');
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  const placement = details.placement ? `\n${placementText(details.placement as Record<string, unknown>)}` : '';
  const text = `${table(figures, skipped)}${placement}\nwhole bench ${result.seconds.toFixed(0)} s; load ${loadAtStart} → ${result.machine.loadAtEnd} on ${result.machine.cpus} cores`;
  if (flags.json) {
    process.stderr.write(`${text}\n`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    process.stdout.write(`${text}\n`);
  }
  return failed.length > 0 ? 2 : figures.some((f) => f.met === false) ? 1 : 0;
}

main().then((code) => process.exit(code), (error) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
  process.exit(2);
});
