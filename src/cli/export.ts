// `transfer-lab export <run-dir> [--out model.h5]`: a finished run's classifier as a Keras HDF5 model beside its
// tfjs Layers copy, and the Python that loads it and classifies an image the way the run did.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeKerasH5 } from '../engine/models/keras/exportH5';
import { readLayersModelFiles } from '../engine/models/layersFiles';
import type { Preprocessing } from '../engine/models/preprocess';
import { MODEL_DIR, type ModelCard } from '../engine/training/artifacts';

export interface KerasExport {
  kerasFile: string;
  tfjsModel: string;
  labelsFile: string;
  params: number;
  python: string;
}

export async function exportRunAsKeras(runDir: string, out?: string): Promise<KerasExport> {
  const dir = path.join(runDir, MODEL_DIR);
  const card = await readFile(path.join(dir, 'preprocessing.json'), 'utf8').then((text) => JSON.parse(text) as ModelCard, () => {
    throw new Error(`${dir}: no exported image classifier — the run did not complete. Resume it, or pick a completed run.`);
  });
  const tfjsModel = path.join(dir, 'model.json');
  const artifacts = await readLayersModelFiles(tfjsModel);
  const kerasFile = path.resolve(out ?? path.join(dir, 'model.h5'));
  await writeKerasH5(artifacts, kerasFile);
  const labelsFile = path.resolve(dir, 'labels.json');
  const params = artifacts.weightSpecs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1), 0);
  return { kerasFile, tfjsModel: path.resolve(tfjsModel), labelsFile, params, python: pythonSnippet(kerasFile, labelsFile, card) };
}

export function exportText(result: KerasExport): string {
  return `Keras model (HDF5, ${result.params.toLocaleString('en-US')} weights): ${result.kerasFile}\n`
    + `tfjs Layers model: ${result.tfjsModel}\n\nLoad it in Python (Keras 2 or 3, with Pillow and NumPy):\n\n${result.python}`;
}

/** The same pixels the run fed its model: squashed to the input size (no crop), then the base's scaling. */
const SCALING: Record<Preprocessing, string> = {
  'scale-minus1-1': 'x = x / 127.5 - 1.0',
  'scale-0-1': 'x = x / 255.0',
  'caffe-bgr': 'x = x[..., ::-1] - np.array([103.939, 116.779, 123.68], dtype="float32")  # RGB to BGR, ImageNet means',
};

function pythonSnippet(kerasFile: string, labelsFile: string, card: ModelCard): string {
  const size = card.inputSize;
  return [
    'import json',
    'import numpy as np',
    'import keras',
    'from PIL import Image, ImageOps',
    '',
    `model = keras.models.load_model(${JSON.stringify(kerasFile)}, compile=False)`,
    `classes = json.load(open(${JSON.stringify(labelsFile)}))`,
    '',
    `image = ImageOps.exif_transpose(Image.open("photo.jpg")).convert("RGB").resize((${size}, ${size}))`,
    'x = np.asarray(image, dtype="float32")[None]',
    SCALING[card.preprocessing],
    'probabilities = model.predict(x)[0]',
    'print(classes[int(probabilities.argmax())], float(probabilities.max()))',
  ].join('\n');
}
