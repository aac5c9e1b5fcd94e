// Every Keras layer class the ONNX export writes, by class name; anything else is refused by name.
import { activationLayer, eluLayer, leakyReluLayer, reluLayer, softmaxLayer } from './activations';
import { conv2d, depthwiseConv2d, separableConv2d } from './conv';
import { dense } from './dense';
import { add, average, concatenate, maximum, minimum, multiply, subtract } from './merge';
import { batchNormalization, rescaling } from './normalization';
import { averagePooling2d, globalAveragePooling2d, globalMaxPooling2d, maxPooling2d } from './pooling';
import { flatten, identity, reshape, zeroPadding2d } from './shape';
import type { LayerConverter } from './types';

export const LAYER_CONVERTERS: Record<string, LayerConverter> = {
  Conv2D: conv2d,
  DepthwiseConv2D: depthwiseConv2d,
  SeparableConv2D: separableConv2d,
  Dense: dense,
  BatchNormalization: batchNormalization,
  Rescaling: rescaling,
  Activation: activationLayer,
  ReLU: reluLayer,
  LeakyReLU: leakyReluLayer,
  ELU: eluLayer,
  Softmax: softmaxLayer,
  MaxPooling2D: maxPooling2d,
  AveragePooling2D: averagePooling2d,
  GlobalMaxPooling2D: globalMaxPooling2d,
  GlobalAveragePooling2D: globalAveragePooling2d,
  Flatten: flatten,
  Reshape: reshape,
  ZeroPadding2D: zeroPadding2d,
  Add: add,
  Multiply: multiply,
  Subtract: subtract,
  Average: average,
  Maximum: maximum,
  Minimum: minimum,
  Concatenate: concatenate,
  // The identity at inference.
  Dropout: identity,
  SpatialDropout2D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
  ActivityRegularization: identity,
};
