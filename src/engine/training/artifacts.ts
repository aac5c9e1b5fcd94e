// What a finished run leaves for people and tools: the exported model, its labels and preprocessing, the evaluation.
import * as tf from '@tensorflow/tfjs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvaluationReport } from '../../protocol/host';
import { confusionMatrix, macroAverage, perClassMetrics } from '../metrics';
import { tfjsFileHandler } from '../models/layersFiles';
import type { Preprocessing } from '../models/preprocess';
import { writeFileAtomic } from '../runs/atomic';
import type { SourceEvaluation } from './evaluate';

export const MODEL_DIR = 'model';
export const EVALUATION_FILE = 'evaluation.json';

export interface ModelCard {
  classes: string[];
  inputSize: number;
  preprocessing: Preprocessing;
  /** How the run chose `preprocessing`, in words (absent in cards written before it was recorded). */
  preprocessingReason?: string;
  base: string;
  featureLayer: string;
}

export function report(split: string, classes: string[], evaluation: SourceEvaluation, skipped: EvaluationReport['skipped'] = []): EvaluationReport {
  const cm = confusionMatrix(evaluation.labels, evaluation.predicted, classes.length);
  const perClass = perClassMetrics(cm, classes);
  const macro = macroAverage(perClass);
  return {
    split, classes, count: evaluation.labels.length, accuracy: evaluation.accuracy, loss: evaluation.loss,
    confusionMatrix: cm, perClass, macro: { precision: macro.precision, recall: macro.recall, f1: macro.f1 }, skipped,
    samples: evaluation.paths.map((path, i) => ({ path, label: evaluation.labels[i], predicted: evaluation.predicted[i], confidence: evaluation.confidence[i] })),
  };
}

/** One flat Keras-style model (base → pooling → head → softmax) that loads anywhere tfjs Layers models load. */
export async function exportModel(runDir: string, base: tf.LayersModel, pool: tf.layers.Layer, head: tf.layers.Layer[], card: ModelCard): Promise<string> {
  let x = pool.apply(base.outputs[0]) as tf.SymbolicTensor;
  for (const layer of head) x = layer.apply(x) as tf.SymbolicTensor;
  const probabilities = tf.layers.activation({ activation: 'softmax', name: 'head_softmax' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: base.inputs, outputs: probabilities, name: 'transfer_lab_classifier' });
  const dir = join(runDir, MODEL_DIR);
  await mkdir(dir, { recursive: true });
  await model.save(tfjsFileHandler(dir));
  await writeFileAtomic(join(dir, 'labels.json'), JSON.stringify(card.classes, null, 2));
  await writeFileAtomic(join(dir, 'preprocessing.json'), JSON.stringify(card, null, 2));
  return dir;
}
