// `transfer-lab export <run-dir> [--format h5|keras|tfjs] [--out <path>]`: a finished run's classifier as a Keras 2
// HDF5 file, a Keras 3 .keras archive or a copy of its tfjs Layers folder, and the Python that loads it and
// classifies an image the way the run did.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeKerasArchive } from '../engine/models/keras/exportKeras3';
import { writeKerasH5 } from '../engine/models/keras/exportH5';
import { readLayersModelFiles } from '../engine/models/layersFiles';
import type { Preprocessing } from '../engine/models/preprocess';
import { runModelMissing } from '../engine/runs/runModelMissing';
import { MODEL_DIR, type ModelCard } from '../engine/training/artifacts';
import { writeTfjsFolder } from './exportFolder';

export const EXPORT_FORMATS = ['h5', 'keras', 'tfjs'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface RunExport {
  format: ExportFormat;
  /** The written file (h5, keras) or folder (tfjs). */
  file: string;
  tfjsModel: string;
  labelsFile: string;
  params: number;
  python: string;
}

interface FormatSpec {
  /** What the export is, for people. */
  title: string;
  /** Which Python can load it. */
  loader: string;
  module: string;
  /** The Python line that sets `model` from the exported path. */
  load: (file: string) => string;
}

const FORMATS: Record<ExportFormat, FormatSpec> = {
  h5: { title: 'Keras model (HDF5)', loader: 'Keras 2 or 3', module: 'keras', load: (file) => `model = keras.models.load_model(${JSON.stringify(file)}, compile=False)` },
  keras: { title: 'Keras 3 model (.keras)', loader: 'Keras 3', module: 'keras', load: (file) => `model = keras.saving.load_model(${JSON.stringify(file)}, compile=False)` },
  tfjs: {
    title: 'tfjs Layers model', loader: 'pip install tensorflowjs', module: 'tensorflowjs as tfjs',
    load: (folder) => `model = tfjs.converters.load_keras_model(${JSON.stringify(path.join(folder, 'model.json'))})`,
  },
};

/** File endings keras.models.load_model / keras.saving.load_model accept for each format; tfjs is a folder. */
const KERAS_EXTENSIONS: Partial<Record<ExportFormat, string[]>> = { h5: ['.h5', '.hdf5'], keras: ['.keras'] };

/** The format `--out` asks for by its ending (`.keras`, `.h5`/`.hdf5`, none: a tfjs folder); h5 without `--out`. */
export function exportFormatOf(out: string | undefined): ExportFormat {
  if (out === undefined) return 'h5';
  const extension = path.extname(out).toLowerCase();
  if (extension === '') return 'tfjs';
  const format = EXPORT_FORMATS.find((f) => KERAS_EXTENSIONS[f]?.includes(extension));
  if (!format) throw new Error(`${out}: Keras loads .h5, .hdf5 and .keras files only — name it so, or give --format tfjs for a folder`);
  return format;
}

export async function exportRun(runDir: string, opts: { format?: ExportFormat; out?: string } = {}): Promise<RunExport> {
  const format = opts.format ?? exportFormatOf(opts.out);
  const extensions = KERAS_EXTENSIONS[format];
  if (opts.out && extensions && !extensions.includes(path.extname(opts.out).toLowerCase())) {
    throw new Error(`${opts.out}: Keras loads a ${format} export only from a file ending in ${extensions.join(' or ')} — name it so`);
  }
  const dir = path.resolve(runDir, MODEL_DIR);
  const card = await readFile(path.join(dir, 'preprocessing.json'), 'utf8').then((text) => JSON.parse(text) as ModelCard, async () => {
    throw await runModelMissing(runDir, 'exported image classifier');
  });
  const tfjsModel = path.join(dir, 'model.json');
  const artifacts = await readLayersModelFiles(tfjsModel);
  const file = path.resolve(opts.out ?? (format === 'tfjs' ? dir : path.join(dir, `model.${format}`)));
  if (format === 'h5') await writeKerasH5(artifacts, file);
  else if (format === 'keras') await writeKerasArchive(artifacts, file);
  else if (file !== dir) await writeTfjsFolder(dir, file);
  const labelsFile = path.join(format === 'tfjs' ? file : dir, 'labels.json');
  const params = artifacts.weightSpecs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1), 0);
  return { format, file, tfjsModel, labelsFile, params, python: pythonSnippet(FORMATS[format], file, labelsFile, card) };
}

export function exportText(result: RunExport): string {
  const { title, loader } = FORMATS[result.format];
  const tfjsCopy = result.format === 'tfjs' ? '' : `tfjs Layers model: ${result.tfjsModel}\n`;
  return `${title}, ${result.params.toLocaleString('en-US')} weights: ${result.file}\n${tfjsCopy}\nLoad it in Python (${loader}, with Pillow and NumPy):\n\n${result.python}`;
}

/** The same pixels the run fed its model: squashed to the input size (no crop), then the base's scaling. */
const SCALING: Record<Preprocessing, string> = {
  'scale-minus1-1': 'x = x / 127.5 - 1.0',
  'scale-0-1': 'x = x / 255.0',
  'imagenet-mean-std': 'x = (x / 255.0 - np.array([0.485, 0.456, 0.406], dtype="float32")) / np.array([0.229, 0.224, 0.225], dtype="float32")',
  'caffe-bgr': 'x = x[..., ::-1] - np.array([103.939, 116.779, 123.68], dtype="float32")  # RGB to BGR, ImageNet means',
  'raw-0-255': '# no scaling: the model scales its 0-255 input itself',
};

function pythonSnippet(spec: FormatSpec, file: string, labelsFile: string, card: ModelCard): string {
  const size = card.inputSize;
  return [
    'import json',
    'import numpy as np',
    `import ${spec.module}`,
    'from PIL import Image, ImageOps',
    '',
    spec.load(file),
    `classes = json.load(open(${JSON.stringify(labelsFile)}))`,
    '',
    `image = ImageOps.exif_transpose(Image.open("photo.jpg")).convert("RGB").resize((${size}, ${size}))`,
    'x = np.asarray(image, dtype="float32")[None]',
    SCALING[card.preprocessing],
    'probabilities = model.predict(x)[0]',
    'print(classes[int(probabilities.argmax())], float(probabilities.max()))',
  ].join('\n');
}
