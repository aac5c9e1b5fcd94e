// Matrix products that never ask the backend to transpose an operand. The wasm backend's BatchMatMul is 10–20×
// slower with transposeA/transposeB (measured: 4096×768 @ 768×3072 takes 0.9 s plain, 18 s with transposeB), and
// tfjs differentiates matMul through exactly those flags; explicit transposes cost little by comparison.
import * as tf from '@tensorflow/tfjs';
import { batchMatMul3d } from './wasmBatchMatMul';

function swapLastTwo(t: tf.Tensor): tf.Tensor {
  return t.rank === 2 ? tf.transpose(t) : tf.transpose(t, [0, 2, 1]);
}

function product(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return a.rank === 3 ? batchMatMul3d(a as tf.Tensor3D, b as tf.Tensor3D) : tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
}

/** a @ b for rank-2, or rank-3 batched, operands. */
export const plainMatMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: product(a, b),
    gradFunc: (dy: tf.Tensor, [sa, sb]: tf.Tensor[]) => [product(dy, swapLastTwo(sb)), product(swapLastTwo(sa), dy)],
  };
}) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
