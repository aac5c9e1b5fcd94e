// FusedBatchNorm's gradient without Tile: tfjs' own tiles 1/√(var + ε) to the activation's full shape before
// multiplying (≈120 ms of a 680 ms MobileNetV2 fine-tuning step on wasm) and always builds x − mean and dy·scale;
// broadcasting a per-channel vector gives the same values with one full-size multiply. Per-channel sums are loops
// down the columns of the [rows, channels] activations: wasm's Sum over leading axes transposes first, and
// Σ dy·(x − mean) needs no full-size temporaries.
import * as tf from '@tensorflow/tfjs';
import { loopKernelConfigs } from './loopKernels';

const CHANNEL_SUMS_KERNEL = 'TransferLabChannelSums';
const CHANNEL_CENTERED_DOTS_KERNEL = 'TransferLabChannelCenteredDots';
const lastDimension = (t: tf.TensorInfo) => [t.shape[t.shape.length - 1]];

export const channelKernels = [
  ...loopKernelConfigs({ name: CHANNEL_SUMS_KERNEL, outputShape: ({ x }) => lastDimension(x), run: (loops, { x }, out) => loops.columnSums(x, out) }),
  ...loopKernelConfigs({
    name: CHANNEL_CENTERED_DOTS_KERNEL,
    outputShape: ({ a }) => lastDimension(a),
    run: (loops, { a, b, center }, out) => loops.columnCenteredDots(a, b, center, out),
  }),
];

export const batchNormGradientConfig: tf.GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const dyTensor = dy as tf.Tensor;
    const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
    const [x, mean, variance, scale] = saved;
    const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    // per-channel parameters of channels-last activations (every conv net's batch norm): column loops
    const byColumns = mean.rank === 1 && x.rank > 1 && mean.size === x.shape[x.rank - 1];
    const perChannel = (t: tf.Tensor) => byColumns
      ? tf.engine().runKernel(CHANNEL_SUMS_KERNEL, { x: t }) as tf.Tensor
      : tf.reshape(axes.length > 0 ? tf.sum(t, axes) : t, mean.shape);
    const scaleValue = scale ?? tf.scalar(1);
    const inverseStd = () => tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
    const dyDotCentered = () => byColumns
      ? tf.engine().runKernel(CHANNEL_CENTERED_DOTS_KERNEL, { a: dyTensor, b: x, center: mean }) as tf.Tensor
      : perChannel(tf.mul(dyTensor, tf.sub(x, mean)));
    return {
      x: () => tf.mul(dyTensor, tf.mul(scaleValue, inverseStd())),
      mean: () => tf.mul(perChannel(dyTensor), tf.neg(tf.mul(scaleValue, inverseStd()))),
      variance: () => tf.mul(dyDotCentered(), tf.mul(tf.mul(scaleValue, tf.pow(inverseStd(), 3)), -0.5)),
      scale: () => tf.mul(dyDotCentered(), inverseStd()),
      offset: () => perChannel(dyTensor),
    };
  },
};
