// tfjs cannot take a gradient through a BatchNormalization without scale or center (every BatchNorm of InceptionV3
// lacks scale): its op hands the missing tensor to the gradient tape as undefined, which the tape dereferences
// (tensorflow/tfjs#2868). In inference mode, the only mode fine-tuning runs BatchNorm in, ones and zeros in their
// place give the same numbers, so such layers get an inference call that passes them.
import * as tf from '@tensorflow/tfjs';

interface BatchNormConfig { axis: number; epsilon: number; scale: boolean; center: boolean }
type Call = tf.layers.Layer['call'];

/** Makes every scale- or center-less BatchNormalization of `model` (normalising the last axis) trainable through. */
export function completeBatchNorms(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const { axis, epsilon, scale, center } = layer.getConfig() as unknown as BatchNormConfig;
    const rank = layer.inputSpec?.[0]?.ndim;
    if ((scale && center) || !(axis === -1 || (rank !== undefined && axis === rank - 1))) continue;
    const own = layer.call.bind(layer) as Call;
    const weight = (name: string) => layer.weights.find((w) => w.originalName.endsWith(`/${name}`))?.read();
    layer.call = ((inputs, kwargs) => {
      if (kwargs.training) return own(inputs, kwargs);
      return tf.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
        const mean = weight('moving_mean')!;
        return tf.batchNorm(x, mean, weight('moving_variance')!, weight('beta') ?? tf.zerosLike(mean), weight('gamma') ?? tf.onesLike(mean), epsilon);
      });
    }) as Call;
  }
}
