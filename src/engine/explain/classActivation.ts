// The math of "where the model looks": class activation maps over one image's last spatial feature map.
import * as tf from '@tensorflow/tfjs';

/**
 * CAM (Zhou et al. 2016), for global average pooling → dense: Σ_k w_k · A_k, the part of the class score each
 * position contributes. `features` [H, W, K], `weights` [K] (the class's column of the dense kernel).
 */
export function classActivationMap(features: tf.Tensor3D, weights: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.relu(tf.sum(tf.mul(features, weights), 2)) as tf.Tensor2D);
}

/**
 * Grad-CAM (Selvaraju et al. 2017), for any differentiable head: channel weights are the spatially averaged
 * gradients of the class score, ReLU keeps what speaks for the class. `gradients` has the shape of `features`.
 */
export function gradCam(features: tf.Tensor3D, gradients: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => classActivationMap(features, tf.mean(gradients, [0, 1]) as tf.Tensor1D));
}

/**
 * A softmax ignores what every class's score shares, so a class's evidence is its logit minus the mean logit:
 * its column of a dense kernel minus the columns' mean (the same for gradients of the centred score).
 */
export function centredClassWeights(kernel: tf.Tensor2D, classIndex: number): tf.Tensor1D {
  return tf.tidy(() => tf.sub(tf.squeeze(tf.slice(kernel, [0, classIndex], [-1, 1]), [1]), tf.mean(kernel, 1)) as tf.Tensor1D);
}

/** A map scaled to 0…1 by its maximum (all zeros when nothing speaks for the class), rounded to keep messages small. */
export function normaliseMap(values: ArrayLike<number>, decimals = 3): number[] {
  const max = Math.max(0, ...Array.from(values));
  const scale = 10 ** decimals;
  return Array.from(values, (v) => (max > 0 ? Math.round((Math.max(0, v) / max) * scale) / scale : 0));
}
