// Loss, accuracy and predictions of a model over a batch source, without training.
import * as tf from '@tensorflow/tfjs';
import type { BatchSource } from './sources';

export type Forward = (x: tf.Tensor, training: boolean) => tf.Tensor2D;

export interface SourceEvaluation {
  loss: number;
  accuracy: number;
  labels: Int32Array;
  predicted: Int32Array;
  confidence: Float32Array;
  paths: string[];
}

/** Mean cross-entropy; with class weights each example's term is multiplied by its class's weight (Keras' class_weight). */
export function batchLoss(logits: tf.Tensor2D, labels: tf.Tensor1D, classWeights?: tf.Tensor1D): tf.Scalar {
  // weights are > 0, so tfjs' default reduction (sum over non-zero weights) is Keras' batch mean
  const weights = classWeights ? tf.gather(classWeights, labels) : undefined;
  return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, logits.shape[1]), logits, weights) as tf.Scalar;
}

export async function evaluateSource(forward: Forward, source: BatchSource, signal?: AbortSignal): Promise<SourceEvaluation> {
  const labels: number[] = [], predicted: number[] = [], confidence: number[] = [], paths: string[] = [];
  let lossSum = 0;
  for await (const batch of source.epoch(0, signal)) {
    const [loss, argmax, top] = tf.tidy(() => {
      const logits = forward(batch.x, false);
      const probabilities = tf.softmax(logits);
      return [batchLoss(logits, batch.labels), tf.argMax(logits, 1), tf.max(probabilities, 1)];
    });
    lossSum += (await loss.data())[0] * batch.size;
    labels.push(...(await batch.labels.data()));
    predicted.push(...(await argmax.data()));
    confidence.push(...(await top.data()));
    paths.push(...batch.paths);
    tf.dispose([loss, argmax, top, batch.x, batch.labels]);
  }
  const correct = labels.filter((label, i) => label === predicted[i]).length;
  return {
    loss: labels.length ? lossSum / labels.length : NaN,
    accuracy: labels.length ? correct / labels.length : NaN,
    labels: Int32Array.from(labels),
    predicted: Int32Array.from(predicted),
    confidence: Float32Array.from(confidence),
    paths,
  };
}
