// Which files are Keras model files, apart from the reader so the extension can tell without bundling h5wasm.
import path from 'node:path';

export const KERAS_MODEL_EXTENSIONS = ['.h5', '.hdf5', '.keras'];

export function isKerasModelFile(file: string): boolean {
  return KERAS_MODEL_EXTENSIONS.includes(path.extname(file).toLowerCase());
}
