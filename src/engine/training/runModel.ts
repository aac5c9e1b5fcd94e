// Image runs' part of using a run (useRun.ts): their exported tfjs model, labelled image folders, image files.
import * as tf from '@tensorflow/tfjs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Prediction } from '../../protocol/host';
import { DatasetError, decodeImage, isImagePath, scanDataset, type Sample } from '../data';
import { loadExperimentFile } from '../experiment/load';
import { readLayersModelFiles } from '../models/layersFiles';
import { report, type ModelCard } from './artifacts';
import { planData } from './dataPlan';
import { EXPERIMENT_FILE, MODEL_DIR, MODEL_FILES } from '../../shared/runLayout';
import { runModelMissing } from '../runs';
import { countTrainedOn, keepFolderEvaluation } from './folderEvaluation';
import { liveSource } from './sources';
import { pixelsToInput } from './tensors';
import { rankClasses, runUse, type RunUser } from './useRun';

export interface RunModel {
  model: tf.LayersModel;
  card: ModelCard;
  dispose(): void;
}

export async function loadRunModel(runDir: string): Promise<RunModel> {
  const dir = join(runDir, MODEL_DIR);
  let card: ModelCard;
  try {
    card = JSON.parse(await readFile(join(dir, MODEL_FILES.preprocessing), 'utf8'));
  } catch {
    throw await runModelMissing(runDir, 'exported model');
  }
  const artifacts = await readLayersModelFiles(join(dir, MODEL_FILES.layersModel));
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  return { model, card, dispose: () => model.dispose() };
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

async function predictImages({ model, card }: RunModel, inputs: string[], top: number): Promise<Prediction[]> {
  const predictions: Prediction[] = [];
  for (const path of await expandInputs(inputs)) {
    const decoded = await decodeImage(path, card.inputSize);
    if (!decoded.ok) {
      predictions.push({ path, error: decoded.reason });
      continue;
    }
    const probabilities = tf.tidy(() => model.predict(pixelsToInput(decoded.pixels, card.inputSize, card.preprocessing)) as tf.Tensor);
    const values = await probabilities.data();
    probabilities.dispose();
    predictions.push({ path, top: rankClasses(values, card.classes, top) });
  }
  return predictions;
}

const imageUser: RunUser<RunModel> = {
  load: (runDir) => loadRunModel(runDir),
  // The exported model ends in softmax; its log gives logits for the same loss and argmax.
  forward: ({ model }) => (x) => tf.log(tf.clipByValue(model.predict(x) as tf.Tensor2D, 1e-7, 1)) as tf.Tensor2D,
  evaluationData: async ({ card }, runDir, dataFolder, hub) => {
    const plan = async () => planData(await loadExperimentFile(join(runDir, EXPERIMENT_FILE)));
    const samples = dataFolder ? await labelledSamples(dataFolder, card.classes) : (await plan()).val;
    const source = liveSource(samples, { inputSize: card.inputSize, preprocessing: card.preprocessing, batchSize: 32 });
    if (!dataFolder) return { source, report: (split, evaluation) => report(split, card.classes, evaluation, source.skipped) };
    return {
      source,
      report: (_split, evaluation) => report(basename(resolve(dataFolder)), card.classes, evaluation, source.skipped),
      // kept in the run (evaluations/), with how many of its images the run trained on: that accuracy overstates the model
      keep: async (folderReport) => {
        // a training folder that moved away leaves the overlap unknown, not the evaluation failed
        const trainedOn = await plan().then((p) => countTrainedOn(samples, p.train, hub.cacheDir), () => undefined);
        if (trainedOn !== undefined) folderReport.trainedOn = trainedOn;
        return { ...folderReport, savedAs: await keepFolderEvaluation(runDir, dataFolder, folderReport) };
      },
    };
  },
  predict: (model, { inputs, texts, top }) => {
    if (texts) throw new Error('this is an image run: it classifies image files and folders, not texts — pick a text run to classify text');
    return predictImages(model, inputs, top ?? 3);
  },
};

export const imageRunUse = runUse(imageUser);

export const predictRun = (runDir: string, inputs: string[], top = 3) => imageRunUse.predict(runDir, { inputs, top });
