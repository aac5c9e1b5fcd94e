// `transfer-lab export <run-dir> [--format h5|keras|tfjs|onnx|keras-script|notebook] [--out <path>]`: a finished
// run's classifier as a Keras 2 HDF5 file, a Keras 3 .keras archive, a copy of its tfjs Layers folder or an ONNX
// model, and the code that loads it and classifies an image the way the run did; or the run as a TensorFlow/Keras
// training script or notebook.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeOnnx } from '../engine/export/onnx/write';
import { writeTrainingScript } from '../engine/export/kerasScript/write';
import { defaultCacheDir } from '../engine/training/featureStore';
import { onnxSnippets, type OnnxSnippets } from '../engine/export/onnx/snippets';
import { writeKerasArchive } from '../engine/models/keras/exportKeras3';
import { writeKerasH5 } from '../engine/models/keras/exportH5';
import { readLayersModelFiles } from '../engine/models/layersFiles';
import type { Preprocessing } from '../engine/models/preprocess';
import { runModelMissing } from '../engine/runs/runModelMissing';
import { MODEL_DIR, type ModelCard } from '../engine/training/artifacts';
import { writeTfjsFolder } from './exportFolder';

export const EXPORT_FORMATS = ['h5', 'keras', 'tfjs', 'onnx', 'keras-script', 'notebook'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface RunExport {
  format: ExportFormat;
  /** The written file (h5, keras, onnx) or folder (tfjs). */
  file: string;
  tfjsModel: string;
  labelsFile: string;
  params: number;
  python: string;
  /** The same for C# and JavaScript (ONNX, which every language's runtime loads). */
  otherLanguages?: Omit<OnnxSnippets, 'python'>;
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

/** Formats that write the run's training, not its classifier. */
type ScriptFormat = 'keras-script' | 'notebook';
const isScript = (format: ExportFormat): format is ScriptFormat => format === 'keras-script' || format === 'notebook';

const FORMATS: Record<Exclude<ExportFormat, 'onnx' | ScriptFormat>, FormatSpec> = {
  h5: { title: 'Keras model (HDF5)', loader: 'Keras 2 or 3', module: 'keras', load: (file) => `model = keras.models.load_model(${JSON.stringify(file)}, compile=False)` },
  keras: { title: 'Keras 3 model (.keras)', loader: 'Keras 3', module: 'keras', load: (file) => `model = keras.saving.load_model(${JSON.stringify(file)}, compile=False)` },
  tfjs: {
    title: 'tfjs Layers model', loader: 'pip install tensorflowjs', module: 'tensorflowjs as tfjs',
    load: (folder) => `model = tfjs.converters.load_keras_model(${JSON.stringify(path.join(folder, 'model.json'))})`,
  },
};

/** File endings each format is written to (what keras.models.load_model, keras.saving.load_model, ONNX runtimes, Python and Jupyter take); tfjs is a folder. */
const KERAS_EXTENSIONS: Partial<Record<ExportFormat, string[]>> = { h5: ['.h5', '.hdf5'], keras: ['.keras'], onnx: ['.onnx'], 'keras-script': ['.py'], notebook: ['.ipynb'] };
/** Where each format goes inside the run's model folder when no --out is given. */
const DEFAULT_NAMES: Record<Exclude<ExportFormat, 'tfjs'>, string> = { h5: 'model.h5', keras: 'model.keras', onnx: 'model.onnx', 'keras-script': 'train_keras.py', notebook: 'train_keras.ipynb' };
const ONNX_TITLE = 'ONNX model (opset 13, pixels in, probabilities out)';

/** The format `--out` asks for by its ending (`.keras`, `.h5`/`.hdf5`, `.onnx`, `.py`, `.ipynb`, none: a tfjs folder); h5 without `--out`. */
export function exportFormatOf(out: string | undefined): ExportFormat {
  if (out === undefined) return 'h5';
  const extension = path.extname(out).toLowerCase();
  if (extension === '') return 'tfjs';
  const format = EXPORT_FORMATS.find((f) => KERAS_EXTENSIONS[f]?.includes(extension));
  if (!format) throw new Error(`${out}: the export writes .h5, .hdf5 and .keras files only (Keras), .onnx (ONNX Runtime) or .py / .ipynb (a TensorFlow training script or notebook) — name it so, or give --format tfjs for a folder`);
  return format;
}

export async function exportRun(runDir: string, opts: { format?: ExportFormat; out?: string; cacheDir?: string } = {}): Promise<RunExport> {
  const format = opts.format ?? exportFormatOf(opts.out);
  const extensions = KERAS_EXTENSIONS[format];
  if (opts.out && extensions && !extensions.includes(path.extname(opts.out).toLowerCase())) {
    throw new Error(`${opts.out}: a ${format} export loads only from a file ending in ${extensions.join(' or ')} — name it so`);
  }
  const dir = path.resolve(runDir, MODEL_DIR);
  const card = await readFile(path.join(dir, 'preprocessing.json'), 'utf8').then((text) => JSON.parse(text) as ModelCard, async () => {
    throw await runModelMissing(runDir, 'exported image classifier');
  });
  const tfjsModel = path.join(dir, 'model.json');
  const file = path.resolve(opts.out ?? (format === 'tfjs' ? dir : path.join(dir, DEFAULT_NAMES[format])));
  if (isScript(format)) return exportScript(runDir, file, format, tfjsModel, opts.cacheDir ?? defaultCacheDir());
  const artifacts = await readLayersModelFiles(tfjsModel);
  if (format === 'h5') await writeKerasH5(artifacts, file);
  else if (format === 'keras') await writeKerasArchive(artifacts, file);
  else if (format === 'onnx') await writeOnnx(artifacts, card, file);
  else if (file !== dir) await writeTfjsFolder(dir, file);
  const labelsFile = path.join(format === 'tfjs' ? file : dir, 'labels.json');
  const params = artifacts.weightSpecs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1), 0);
  if (format === 'onnx') {
    const { python, ...otherLanguages } = onnxSnippets(file, card);
    return { format, file, tfjsModel, labelsFile, params, python, otherLanguages };
  }
  return { format, file, tfjsModel, labelsFile, params, python: pythonSnippet(FORMATS[format as keyof typeof FORMATS], file, labelsFile, card) };
}

async function exportScript(runDir: string, file: string, format: ScriptFormat, tfjsModel: string, cacheDir: string): Promise<RunExport> {
  const { baseFile, plan } = await writeTrainingScript(runDir, file, format, cacheDir);
  const data = plan.folders.train && plan.folders.val ? `--train ${plan.folders.train} --val ${plan.folders.val}` : `--data ${plan.folders.root}`;
  const baseArg = baseFile ? ` --base-file ${baseFile}` : '';
  const run = format === 'notebook' ? `jupyter notebook ${file}` : `python3 ${file} ${data}${baseArg} --strategy mirrored  # or multi-worker with TF_CONFIG set on each machine`;
  const python = [`# pip install tensorflow  (not run by Transfer Lab: it has no TensorFlow for Python)`, run].join('\n');
  return { format, file, tfjsModel, labelsFile: path.join(path.dirname(tfjsModel), 'labels.json'), params: 0, python };
}

export function exportText(result: RunExport): string {
  if (isScript(result.format)) return `TensorFlow/Keras training ${result.format === 'notebook' ? 'notebook' : 'script'}: ${result.file}\n\n${result.python}`;
  const tfjsCopy = result.format === 'tfjs' ? '' : `tfjs Layers model: ${result.tfjsModel}\n`;
  const heading = (title: string) => `${title}, ${result.params.toLocaleString('en-US')} weights: ${result.file}\n${tfjsCopy}\n`;
  if (result.format === 'onnx') {
    const other = result.otherLanguages!;
    return `${heading(ONNX_TITLE)}Python (onnxruntime):\n\n${result.python}\n\nC# (Microsoft.ML.OnnxRuntime):\n\n${other.csharp}\n\nJavaScript (onnxruntime-node):\n\n${other.javascript}`;
  }
  const { title, loader } = FORMATS[result.format as keyof typeof FORMATS];
  return `${heading(title)}Load it in Python (${loader}, with Pillow and NumPy):\n\n${result.python}`;
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
