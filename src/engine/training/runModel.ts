// Uses a finished run's exported model: evaluate it on labelled images, or predict the class of new ones.
import * as tf from '@tensorflow/tfjs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { EvaluationReport, Prediction } from '../../protocol/host';
import { DatasetError, decodeImage, isImagePath, scanDataset, type Sample } from '../data';
import { loadExperimentFile } from '../experiment/load';
import { readLayersModelFiles } from '../models/layersFiles';
import { MODEL_DIR, report, type ModelCard } from './artifacts';
import { planData } from './dataPlan';
import { evaluateSource } from './evaluate';
import { countTrainedOn, keepFolderEvaluation } from './folderEvaluation';
import { EXPERIMENT_FILE, runModelMissing } from '../runs';
import { liveSource } from './sources';
import { pixelsToInput } from './tensors';

export interface RunModel {
  model: tf.LayersModel;
  card: ModelCard;
}

export async function loadRunModel(runDir: string): Promise<RunModel> {
  const dir = join(runDir, MODEL_DIR);
  let card: ModelCard;
  try {
    card = JSON.parse(await readFile(join(dir, 'preprocessing.json'), 'utf8'));
  } catch {
    throw await runModelMissing(runDir, 'exported model');
  }
  const artifacts = await readLayersModelFiles(join(dir, 'model.json'));
  return { model: await tf.loadLayersModel(tf.io.fromMemory(artifacts)), card };
}

/** Samples of a labelled folder, labelled by the run's class names (every split of a split-folder layout). */
async function labelledSamples(folder: string, classes: string[]): Promise<Sample[]> {
  const scan = await scanDataset(folder);
  return [...scan.samples.train, ...scan.samples.val, ...scan.samples.test].map((sample) => {
    const label = classes.indexOf(scan.classes[sample.label]);
    if (label < 0) throw new DatasetError(join(folder, scan.classes[sample.label]), 'this class is not one the model knows', `Use class folders named ${classes.join(', ')}.`);
    return { path: sample.path, label };
  });
}

/** `cacheDir` holds the content hashes an evaluation on another folder is compared with the training images by. */
export async function evaluateRun(runDir: string, dataFolder?: string, cacheDir?: string): Promise<EvaluationReport> {
  const { model, card } = await loadRunModel(runDir);
  try {
    const plan = async () => planData(await loadExperimentFile(join(runDir, EXPERIMENT_FILE)));
    const samples = dataFolder ? await labelledSamples(dataFolder, card.classes) : (await plan()).val;
    const source = liveSource(samples, { inputSize: card.inputSize, preprocessing: card.preprocessing, batchSize: 32 });
    // The exported model ends in softmax; its log gives logits for the same loss and argmax.
    const forward = (x: tf.Tensor) => tf.log(tf.clipByValue(model.predict(x) as tf.Tensor2D, 1e-7, 1)) as tf.Tensor2D;
    const result = await evaluateSource(forward, source);
    if (!dataFolder) return report('val', card.classes, result, source.skipped);
    const folderReport = report(basename(resolve(dataFolder)), card.classes, result, source.skipped);
    // a training folder that moved away leaves the overlap unknown, not the evaluation failed
    const trainedOn = cacheDir ? await plan().then((p) => countTrainedOn(samples, p.train, cacheDir), () => undefined) : undefined;
    if (trainedOn !== undefined) folderReport.trainedOn = trainedOn;
    return { ...folderReport, savedAs: await keepFolderEvaluation(runDir, dataFolder, folderReport) };
  } finally {
    model.dispose();
  }
}

/** Image files named directly, plus the images inside named folders (recursively, hidden entries ignored). */
async function expandInputs(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    if ((await stat(input).catch(() => undefined))?.isDirectory()) {
      const entries = await readdir(input, { recursive: true });
      files.push(...entries.filter((e) => isImagePath(e) && !e.split(/[\\/]/).some((part) => part.startsWith('.'))).sort().map((e) => join(input, e)));
    } else {
      files.push(input);
    }
  }
  return files;
}

export async function predictRun(runDir: string, inputs: string[], top = 3): Promise<Prediction[]> {
  const { model, card } = await loadRunModel(runDir);
  try {
    const predictions: Prediction[] = [];
    for (const path of await expandInputs(inputs)) {
      const decoded = await decodeImage(path, card.inputSize);
      if (!decoded.ok) {
        predictions.push({ path, error: decoded.reason });
        continue;
      }
      const probabilities = tf.tidy(() => model.predict(pixelsToInput(decoded.pixels, card.inputSize, card.preprocessing)) as tf.Tensor);
      const values = Array.from(await probabilities.data());
      probabilities.dispose();
      const ranked = values.map((confidence, i) => ({ label: card.classes[i], confidence })).sort((a, b) => b.confidence - a.confidence);
      predictions.push({ path, top: ranked.slice(0, top) });
    }
    return predictions;
  } finally {
    model.dispose();
  }
}
