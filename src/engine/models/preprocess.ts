// Pixel scaling each base model was trained with; feeding a model the wrong range silently ruins its features.
import * as tf from '@tensorflow/tfjs';

export type Preprocessing = 'scale-minus1-1' | 'scale-0-1' | 'caffe-bgr';

export const PREPROCESSINGS: readonly Preprocessing[] = ['scale-minus1-1', 'scale-0-1', 'caffe-bgr'];

/** ImageNet channel means in BGR order, as subtracted by Keras' "caffe" mode (VGG, ResNet50). */
export const CAFFE_BGR_MEAN = [103.939, 116.779, 123.68];

/** pixels: float32 RGB in 0..255, shape [batch, height, width, 3]. Returns a new tensor; the input is not disposed. */
export function preprocess(pixels: tf.Tensor4D, kind: Preprocessing): tf.Tensor4D {
  return tf.tidy(() => {
    switch (kind) {
      case 'scale-minus1-1':
        return pixels.div(127.5).sub(1);
      case 'scale-0-1':
        return pixels.div(255);
      case 'caffe-bgr':
        return tf.reverse(pixels, -1).sub(tf.tensor1d(CAFFE_BGR_MEAN));
    }
  });
}
