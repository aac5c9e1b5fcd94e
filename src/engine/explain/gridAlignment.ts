// Where each cell of a feature map looks in the input image. Convolutions padded only after (Keras' correct_pad
// before MobileNetV2's stride-2 layers, TensorFlow's 'same' on even sides) centre cell i of a stride-32 map at
// 32·i + 31 px, not at the middle of the i-th 32-px band (32·i + 15.5): drawn naively, such a heatmap sits half a
// cell up and left of what it found. This follows the layers back to the input and resamples the map onto the bands.
import type * as tf from '@tensorflow/tfjs';

/** Input-pixel centre of cell i along one axis: scale · i + shift (pixel centres at 0, 1, …). */
export interface AxisCentres { scale: number; shift: number }

type Config = { kernelSize?: number | number[]; poolSize?: number | number[]; strides?: number | number[]; padding?: unknown; dilationRate?: number | number[]; cropping?: number[][] };
const along = (value: number | number[] | undefined, axis: number, fallback: number) => (Array.isArray(value) ? value[axis] ?? value[0] : value ?? fallback);

/** One layer's map from an output index to its input coordinate, x = stride · i − padBefore + centre, or undefined for layers that keep positions. */
function layerStep(layer: tf.layers.Layer, axis: number): { stride: number; offset: number } | undefined {
  const config = layer.getConfig() as Config;
  const className = layer.getClassName();
  if (className === 'ZeroPadding2D') return { stride: 1, offset: -(config.padding as number[][])[axis][0] };
  if (className === 'Cropping2D') return { stride: 1, offset: config.cropping![axis][0] };
  if (!/Conv2D$|Pooling2D$/.test(className) || /^Global/.test(className)) return undefined;
  const kernel = along(config.kernelSize ?? config.poolSize, axis, 1);
  const stride = along(config.strides, axis, 1);
  const dilation = along(config.dilationRate, axis, 1);
  const span = (kernel - 1) * dilation + 1;
  const shapes = layer.inboundNodes[0]?.inputShapes as (number | null)[] | (number | null)[][] | undefined;
  const size = (Array.isArray(shapes?.[0]) ? (shapes[0] as number[]) : (shapes as number[] | undefined))?.[axis + 1];
  // TensorFlow's 'same' puts the odd pixel of padding after
  const padBefore = config.padding === 'same' && size ? Math.floor(Math.max((Math.ceil(size / stride) - 1) * stride + span - size, 0) / 2) : 0;
  return { stride, offset: -padBefore + (span - 1) / 2 };
}

/** The centres of `layer`'s cells in the model's input, following each layer's first input back (parallel branches align alike). */
export function cellCentres(layer: tf.layers.Layer, axis: 0 | 1): AxisCentres {
  let [scale, shift] = [1, 0];
  for (let current: tf.layers.Layer | undefined = layer; current && current.inboundNodes[0]?.inboundLayers.length; current = current.inboundNodes[0].inboundLayers[0]) {
    const step = layerStep(current, axis);
    if (step) [scale, shift] = [step.stride * scale, step.stride * shift + step.offset];
  }
  return { scale, shift };
}

/** The map resampled (linearly, per axis) at the middle of each of its rows × cols equal bands of an inputSize-px image. */
export function alignToImage(map: ArrayLike<number>, rows: number, cols: number, inputSize: number, centres: [AxisCentres, AxisCentres]): Float32Array {
  const positions = (count: number, { scale, shift }: AxisCentres) => Array.from({ length: count }, (_, j) => {
    const at = Math.min(count - 1, Math.max(0, (((j + 0.5) * inputSize) / count - 0.5 - shift) / scale));
    return { low: Math.floor(at), high: Math.min(count - 1, Math.floor(at) + 1), t: at - Math.floor(at) };
  });
  const [ys, xs] = [positions(rows, centres[0]), positions(cols, centres[1])];
  const out = new Float32Array(rows * cols);
  ys.forEach((y, r) => xs.forEach((x, c) => {
    const v = (row: number) => map[row * cols + x.low] * (1 - x.t) + map[row * cols + x.high] * x.t;
    out[r * cols + c] = v(y.low) * (1 - y.t) + v(y.high) * y.t;
  }));
  return out;
}
