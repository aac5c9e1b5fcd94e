// tfjs' fused conv (what every Layers Conv2D runs) computes the gradient of its input in the same call as its weights',
// whether or not anything needs it. The first trainable convolutions read frozen values (cached activations, images):
// for them that input gradient is a whole extra convolution per step (by MACs ≈ 17% of a forward pass of MobileNetV2's top
// blocks, ≈ 24% of ResNet50's). Run as the plain conv op, whose gradients tfjs computes only for inputs that need one.
import * as tf from '@tensorflow/tfjs';
import { graphSteps } from './layerTree';

/** The fields of a Layers Conv2D this needs (protected in tfjs' types). */
interface ConvFields {
  kernel: { read(): tf.Tensor4D };
  bias: { read(): tf.Tensor } | null;
  strides: [number, number];
  padding: 'same' | 'valid';
  dilationRate: [number, number];
  dataFormat: string;
  activation: { apply(x: tf.Tensor): tf.Tensor };
}

const patched = new WeakSet<tf.layers.Layer>();

/** Trainable Conv2D layers of `model` whose input depends on no trainable weight. */
export function convsOnFrozenInput(model: tf.LayersModel): tf.layers.Layer[] {
  const needsGradient = new Set<tf.SymbolicTensor>();
  const found: tf.layers.Layer[] = [];
  for (const { layer, nodes } of graphSteps(model)) {
    for (const node of nodes) {
      const fromTrainable = node.inputTensors.some((t) => needsGradient.has(t));
      if (layer.trainable && layer.getClassName() === 'Conv2D' && !fromTrainable) found.push(layer);
      if (fromTrainable || (layer.trainable && layer.trainableWeights.length > 0)) node.outputTensors.forEach((t) => needsGradient.add(t));
    }
  }
  return found;
}

/**
 * Makes each trainable Conv2D of `model` that reads frozen values compute as the plain conv op plus bias while it is
 * trainable (the same values; tfjs then skips the unused input gradient); a frozen one keeps the fused op.
 */
export function skipFrozenInputGradients(model: tf.LayersModel): void {
  for (const layer of convsOnFrozenInput(model)) {
    const conv = layer as unknown as ConvFields;
    if (patched.has(layer) || conv.dataFormat !== 'channelsLast') continue;
    patched.add(layer);
    const fused = layer.call.bind(layer);
    layer.call = (inputs, kwargs) => {
      if (!layer.trainable) return fused(inputs, kwargs);
      return tf.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
        const y = tf.conv2d(x, conv.kernel.read(), conv.strides, conv.padding, 'NHWC', conv.dilationRate);
        return conv.activation.apply(conv.bias ? tf.add(y, conv.bias.read()) : y);
      });
    };
  }
}
