// "Where the model looks" for a finished image run: a class-activation heatmap per given image, computed from the
// run's exported model for those images only (one forward of the base to its last spatial layer).
import { resolve } from 'node:path';
import type { Heatmap, HeatmapsResult } from '../../protocol/host';
import { decodeImage } from '../data';
import { readRunKind } from '../runs';
import { loadRunModel } from '../training/runModel';
import { pixelsToInput } from '../training/tensors';
import { normaliseMap } from './classActivation';
import { createExplainer, NoSpatialLayerError } from './explainer';

const BATCH = 16;

export async function runHeatmaps(runDir: string, files: readonly string[], classIndex?: number): Promise<HeatmapsResult> {
  const run = resolve(runDir);
  if ((await readRunKind(run)) === 'text') throw new Error(`${run}: heatmaps are for image runs — this is a text run, whose inputs have no places to point at`);
  const { model, card } = await loadRunModel(run);
  if (classIndex !== undefined && !(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < card.classes.length)) {
    model.dispose();
    throw new RangeError(`classIndex ${classIndex} is not a class of ${run} (0–${card.classes.length - 1}: ${card.classes.join(', ')})`);
  }
  let explainer;
  try {
    explainer = createExplainer(model);
  } catch (error) {
    model.dispose();
    throw error instanceof NoSpatialLayerError ? new Error(`${run}: no heatmaps for this run — ${error.message} (base ${card.base}, features from ${card.featureLayer})`) : error;
  }
  try {
    const heatmaps: Heatmap[] = [];
    for (let start = 0; start < files.length; start += BATCH) {
      const batch = files.slice(start, start + BATCH);
      const decoded = await Promise.all(batch.map((path) => decodeImage(path, card.inputSize)));
      const readable = decoded.flatMap((d, i) => (d.ok ? [{ i, pixels: d.pixels }] : []));
      const pixels = new Uint8Array(readable.reduce((n, r) => n + r.pixels.length, 0));
      readable.reduce((offset, r) => (pixels.set(r.pixels, offset), offset + r.pixels.length), 0);
      const input = readable.length ? pixelsToInput(pixels, card.inputSize, card.preprocessing) : undefined;
      const explained = input ? await explainer.explain(input, classIndex).finally(() => input.dispose()) : [];
      const byIndex = new Map(readable.map((r, k) => [r.i, explained[k]]));
      batch.forEach((path, i) => {
        const e = byIndex.get(i);
        const d = decoded[i];
        heatmaps.push(e
          ? { path, classIndex: e.classIndex, label: card.classes[e.classIndex], confidence: e.probabilities[e.classIndex], rows: e.rows, cols: e.cols, values: normaliseMap(e.map) }
          : { path, error: d.ok ? 'not explained' : d.reason });
      });
    }
    return { method: explainer.method, layer: explainer.layer, heatmaps };
  } finally {
    explainer.dispose();
  }
}
