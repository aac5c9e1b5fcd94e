// An image run's classifier as a Keras 2 HDF5 file, a Keras 3 .keras archive, a copy of its tfjs Layers folder or an
// ONNX model, and the code that loads it and classifies an image the way the run did; or the run as a TensorFlow/Keras
// training script or notebook.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExportFormat, ExportResult } from '../../protocol/host';
import { MODEL_DIR, MODEL_FILES } from '../../shared/runLayout';
import { writeKerasArchive } from '../models/keras/exportKeras3';
import { writeKerasH5 } from '../models/keras/exportH5';
import { readLayersModelFiles } from '../models/layersFiles';
import type { Preprocessing } from '../models/preprocess';
import { runModelMissing } from '../runs/runModelMissing';
import type { ModelCard } from '../training/artifacts';
import { defaultCacheDir } from '../training/featureStore';
import { writeTfjsFolder } from './exportFolder';
import { writeTrainingScript } from './kerasScript/write';
import { onnxSnippets } from './onnx/snippets';
import { writeOnnx } from './onnx/write';

export type ImageExportFormat = Extract<ExportFormat, 'h5' | 'keras' | 'tfjs' | 'onnx' | 'keras-script' | 'notebook'>;

interface FormatSpec {
  /** What the export is, for people. */
  title: string;
  /** Which Python can load it. */
  loader: string;
  module: string;
  /** The Python line that sets `model` from the exported path. */
  load: (file: string) => string;
}

/** Formats that write the run's training, not its classifier. */
type ScriptFormat = 'keras-script' | 'notebook';
const isScript = (format: ImageExportFormat): format is ScriptFormat => format === 'keras-script' || format === 'notebook';
type KerasFormat = Exclude<ImageExportFormat, 'onnx' | ScriptFormat>;

const FORMATS: Record<KerasFormat, FormatSpec> = {
  h5: { title: 'Keras model (HDF5)', loader: 'Keras 2 or 3', module: 'keras', load: (file) => `model = keras.models.load_model(${JSON.stringify(file)}, compile=False)` },
  keras: { title: 'Keras 3 model (.keras)', loader: 'Keras 3', module: 'keras', load: (file) => `model = keras.saving.load_model(${JSON.stringify(file)}, compile=False)` },
  tfjs: {
    title: 'tfjs Layers model', loader: 'pip install tensorflowjs', module: 'tensorflowjs as tfjs',
    load: (folder) => `model = tfjs.converters.load_keras_model(${JSON.stringify(path.join(folder, MODEL_FILES.layersModel))})`,
  },
};

/** File endings each format is written to (what keras.models.load_model, keras.saving.load_model, ONNX runtimes, Python and Jupyter take); tfjs is a folder. */
const EXTENSIONS: Partial<Record<ImageExportFormat, string[]>> = { h5: ['.h5', '.hdf5'], keras: ['.keras'], onnx: ['.onnx'], 'keras-script': ['.py'], notebook: ['.ipynb'] };
/** Where each format goes inside the run's model folder when no --out is given. */
const DEFAULT_NAMES: Record<Exclude<ImageExportFormat, 'tfjs'>, string> = { h5: 'model.h5', keras: 'model.keras', onnx: 'model.onnx', 'keras-script': 'train_keras.py', notebook: 'train_keras.ipynb' };
const ONNX_TITLE = 'ONNX model (opset 13, pixels in, probabilities out)';

/** The format `--out` asks for by its ending (`.keras`, `.h5`/`.hdf5`, `.onnx`, `.py`, `.ipynb`, none: a tfjs folder); h5 without `--out`. */
export function exportFormatOf(out: string | undefined): ImageExportFormat {
  if (out === undefined) return 'h5';
  const extension = path.extname(out).toLowerCase();
  if (extension === '') return 'tfjs';
  const format = (Object.keys(EXTENSIONS) as ImageExportFormat[]).find((f) => EXTENSIONS[f]?.includes(extension));
  if (!format) throw new Error(`${out}: the export writes .h5, .hdf5 and .keras files only (Keras), .onnx (ONNX Runtime) or .py / .ipynb (a TensorFlow training script or notebook) — name it so, or give --format tfjs for a folder`);
  return format;
}

export async function exportImageRun(runDir: string, opts: { format?: ImageExportFormat; out?: string; cacheDir?: string } = {}): Promise<ExportResult> {
  const format = opts.format ?? exportFormatOf(opts.out);
  const extensions = EXTENSIONS[format];
  if (opts.out && extensions && !extensions.includes(path.extname(opts.out).toLowerCase())) {
    throw new Error(`${opts.out}: a ${format} export loads only from a file ending in ${extensions.join(' or ')} — name it so`);
  }
  const dir = path.resolve(runDir, MODEL_DIR);
  const card = await readFile(path.join(dir, MODEL_FILES.preprocessing), 'utf8').then((text) => JSON.parse(text) as ModelCard, async () => {
    throw await runModelMissing(runDir, 'exported image classifier');
  });
  const tfjsModel = path.join(dir, MODEL_FILES.layersModel);
  const file = path.resolve(opts.out ?? (format === 'tfjs' ? dir : path.join(dir, DEFAULT_NAMES[format])));
  if (isScript(format)) return exportScript(runDir, file, format, tfjsModel, opts.cacheDir ?? defaultCacheDir());
  const artifacts = await readLayersModelFiles(tfjsModel);
  if (format === 'h5') await writeKerasH5(artifacts, file);
  else if (format === 'keras') await writeKerasArchive(artifacts, file);
  else if (format === 'onnx') await writeOnnx(artifacts, card, file);
  else if (file !== dir) await writeTfjsFolder(dir, file);
  const labelsFile = path.join(format === 'tfjs' ? file : dir, MODEL_FILES.labels);
  const params = artifacts.weightSpecs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1), 0);
  if (format === 'onnx') {
    const { python, ...otherLanguages } = onnxSnippets(file, card);
    return { format, title: ONNX_TITLE, loader: 'onnxruntime', file, tfjsModel, labelsFile, params, python, otherLanguages };
  }
  const { title, loader } = FORMATS[format];
  return { format, title, loader, file, tfjsModel, labelsFile, params, python: pythonSnippet(FORMATS[format], file, labelsFile, card) };
}

async function exportScript(runDir: string, file: string, format: ScriptFormat, tfjsModel: string, cacheDir: string): Promise<ExportResult> {
  const { baseFile, plan } = await writeTrainingScript(runDir, file, format, cacheDir);
  const data = plan.folders.train && plan.folders.val ? `--train ${plan.folders.train} --val ${plan.folders.val}` : `--data ${plan.folders.root}`;
  const baseArg = baseFile ? ` --base-file ${baseFile}` : '';
  const run = format === 'notebook' ? `jupyter notebook ${file}` : `python3 ${file} ${data}${baseArg} --strategy mirrored  # or multi-worker with TF_CONFIG set on each machine`;
  const python = ['# pip install tensorflow  (not run by Transfer Lab: it has no TensorFlow for Python)', run].join('\n');
  const title = `TensorFlow/Keras training ${format === 'notebook' ? 'notebook' : 'script'}`;
  return { format, title, loader: 'TensorFlow', file, tfjsModel, labelsFile: path.join(path.dirname(tfjsModel), MODEL_FILES.labels), params: 0, python };
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
