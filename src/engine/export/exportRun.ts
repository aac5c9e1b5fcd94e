// `export` for every run kind: picks the run's kind, checks the format suits it, and hands over to that kind's writer.
import type { ExportParams, ExportResult } from '../../protocol/host';
import { EXPORT_FORMATS_BY_KIND } from '../../protocol/host';
import type { HubOptions } from '../text/hub';
import { defaultCacheDir } from '../training/featureStore';
import { readRunKind } from '../runs';
import { exportHfRun } from './hfExport';
import { exportImageRun, type ImageExportFormat } from './imageExport';

export async function exportRun(runDir: string, opts: Omit<ExportParams, 'runDir'> = {}, hub: HubOptions = { cacheDir: defaultCacheDir() }): Promise<ExportResult> {
  const kind = await readRunKind(runDir);
  const formats = EXPORT_FORMATS_BY_KIND[kind];
  if (opts.format !== undefined && !formats.includes(opts.format)) {
    const other = kind === 'text' ? 'image' : 'text';
    throw new Error(`${runDir}: ${opts.format} export is for ${other} runs only; a ${kind} run exports as ${formats.join(', ')} — give --format ${formats[0]}`);
  }
  return kind === 'text' ? exportHfRun(runDir, hub, opts.out) : exportImageRun(runDir, { format: opts.format as ImageExportFormat | undefined, out: opts.out, cacheDir: hub.cacheDir });
}
