// Pixel scaling each base model was trained with; feeding a model the wrong range silently ruins its features.
import * as tf from '@tensorflow/tfjs';
import type { Preprocessing } from '../../shared/preprocessing';

export { PREPROCESSINGS, type Preprocessing } from '../../shared/preprocessing';

/** ImageNet channel means in BGR order, as subtracted by Keras' "caffe" mode (VGG, ResNet50). */
export const CAFFE_BGR_MEAN = [103.939, 116.779, 123.68];
/** torchvision's ImageNet normalisation (Keras' "torch" mode), RGB order, on pixels / 255. */
export const TORCH_MEAN = [0.485, 0.456, 0.406];
export const TORCH_STD = [0.229, 0.224, 0.225];

/** pixels: float32 RGB in 0..255, shape [batch, height, width, 3]. Returns a new tensor; the input is not disposed. */
export function preprocess(pixels: tf.Tensor4D, kind: Preprocessing): tf.Tensor4D {
  return tf.tidy(() => {
    switch (kind) {
      case 'scale-minus1-1':
        return pixels.div(127.5).sub(1);
      case 'scale-0-1':
        return pixels.div(255);
      case 'imagenet-mean-std':
        return pixels.div(255).sub(tf.tensor1d(TORCH_MEAN)).div(tf.tensor1d(TORCH_STD));
      case 'caffe-bgr':
        return tf.reverse(pixels, -1).sub(tf.tensor1d(CAFFE_BGR_MEAN));
      case 'raw-0-255':
        return pixels.clone();
    }
  });
}
