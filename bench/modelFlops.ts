// Multiply-adds of a model's conv, depthwise and dense layers per image, ×2 = FLOPs (everything else is negligible).
import type * as tf from '@tensorflow/tfjs';

const KERNEL_LAYERS = new Set(['Conv2D', 'DepthwiseConv2D', 'Dense']);

export function flopsPerImage(model: tf.LayersModel): number {
  let macs = 0;
  for (const layer of model.layers) {
    if (!KERNEL_LAYERS.has(layer.getClassName())) continue;
    const kernel = layer.getWeights()[0].shape.reduce((a, b) => a * b, 1);
    // Output positions × kernel size: a depthwise kernel [kh, kw, C, multiplier] has one product per entry too.
    const positions = (layer.outputShape as number[]).slice(1, -1).reduce((a, b) => a * b, 1);
    macs += positions * kernel;
  }
  return 2 * macs;
}
