// Host heatmaps as the dashboard page and the HTML report take them: the fields they draw, nothing else.
import type { Heatmap } from '../../../protocol/host';
import type { HeatmapView } from '../../../protocol/webview';
import { heatmapSource, type HeatmapGrid } from '../../../shared/heatmap';
import type { ReportHeatmaps } from '../report/reportGalleries';
import type { WebviewServices } from '../services';

export function heatmapView(map: Heatmap): HeatmapView {
  return map.values && map.rows && map.cols
    ? { path: map.path, label: map.label, rows: map.rows, cols: map.cols, values: map.values }
    : { path: map.path, error: map.error ?? 'no heatmap' };
}

/** The report's heatmaps; a run that has none (a base without a spatial layer, a missing model) says why instead. */
export async function reportHeatmaps(services: Pick<WebviewServices, 'heatmaps'>, runDir: string, paths: readonly string[]): Promise<ReportHeatmaps> {
  try {
    const { method, layer, heatmaps } = await services.heatmaps(runDir, paths);
    const grids = new Map<string, HeatmapGrid>(heatmaps.flatMap((m) => (m.values && m.rows && m.cols ? [[m.path, { rows: m.rows, cols: m.cols, values: m.values }]] : [])));
    return { grids, about: heatmapSource(method, layer) };
  } catch (error) {
    return { grids: new Map(), about: (error as Error).message };
  }
}
