// Base model files the image wizard offers: Keras model files and tfjs Layers model.json. No vscode import: unit-tested.
import { basename, extname } from 'node:path';
import { KERAS_MODEL_EXTENSIONS, isKerasModelFile } from '../../engine/models/keras/modelFile';

const KERAS = KERAS_MODEL_EXTENSIONS.map((e) => e.slice(1));
// VS Code globs do not nest braces
export const MODEL_FILE_GLOB = `**/{${KERAS.map((e) => `*.${e}`).join(',')},model.json}`;
/** For the Browse dialog. */
export const MODEL_FILE_FILTER = { 'Keras model or tfjs Layers model.json': [...KERAS, 'json'] };

/** Keras 3 names weights-only files `*.weights.h5`: weights without a model cannot be a base. */
const isWeightsOnly = (file: string) => basename(file).toLowerCase().endsWith('.weights.h5');

/** What kind of model a file holds, by its name; undefined for files that are no base model. */
export function modelFileKind(file: string): string | undefined {
  if (isWeightsOnly(file)) return undefined;
  if (extname(file).toLowerCase() === '.keras') return 'Keras 3 model';
  if (isKerasModelFile(file)) return 'Keras 2 model (HDF5)';
  return basename(file) === 'model.json' ? 'tfjs Layers model' : undefined;
}

/** The base model files among `paths`, sorted by path. */
export function modelFiles(paths: readonly string[]): { file: string; kind: string }[] {
  return paths.flatMap((file) => {
    const kind = modelFileKind(file);
    return kind ? [{ file, kind }] : [];
  }).sort((a, b) => a.file.localeCompare(b.file));
}

/** The blocks `topBlocks` counts in the Layers view's layer list (the engine's groupBlocks). */
export function blockCount(layers: readonly { block: string }[]): number {
  return new Set(layers.map((l) => l.block)).size;
}
