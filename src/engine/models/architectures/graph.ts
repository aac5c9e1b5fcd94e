// Writes a Keras functional model as the JSON config Keras 2 saves (`model_config`): tfjs builds it with its own
// layers, Keras loads it back, and nothing is allocated until someone builds it.
import type { FunctionalTopology, KerasLayer } from '../surgery';

/** A layer output: its producing layer and its shape without the batch axis. */
export interface Node {
  layer: string;
  shape: number[];
}

type Config = Record<string, unknown>;

const GLOROT = { class_name: 'GlorotUniform', config: { seed: null } };
const ZEROS = { class_name: 'Zeros', config: {} };
const ONES = { class_name: 'Ones', config: {} };
const pair = (n: number | [number, number]): [number, number] => (typeof n === 'number' ? [n, n] : n);
const convOut = (size: number, kernel: number, stride: number, padding: 'same' | 'valid') =>
  padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;

export interface ConvOptions {
  kernel: number | [number, number];
  strides?: number;
  padding?: 'same' | 'valid';
  useBias?: boolean;
  activation?: string;
}

export class KerasGraph {
  private readonly layers: KerasLayer[] = [];
  private readonly autoNames = new Map<string, number>();

  /** Keras 2's automatic names: `conv2d_1`, `conv2d_2`, … (what the published InceptionV3 weights use). */
  autoName(prefix: string): string {
    const n = (this.autoNames.get(prefix) ?? 0) + 1;
    this.autoNames.set(prefix, n);
    return `${prefix}_${n}`;
  }

  input(shape: number[], name = this.autoName('input')): Node {
    this.layers.push({ name, class_name: 'InputLayer', config: { batch_input_shape: [null, ...shape], dtype: 'float32', sparse: false, name }, inbound_nodes: [] });
    return { layer: name, shape };
  }

  conv2d(x: Node, name: string, filters: number, opts: ConvOptions): Node {
    const [kh, kw] = pair(opts.kernel);
    const { strides = 1, padding = 'valid', useBias = true, activation = 'linear' } = opts;
    return this.add(name, 'Conv2D', [x], {
      filters, kernel_size: [kh, kw], strides: [strides, strides], padding, data_format: 'channels_last', dilation_rate: [1, 1],
      activation, use_bias: useBias, kernel_initializer: GLOROT, bias_initializer: ZEROS,
      kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
    }, [convOut(x.shape[0], kh, strides, padding), convOut(x.shape[1], kw, strides, padding), filters]);
  }

  depthwiseConv2d(x: Node, name: string, opts: ConvOptions): Node {
    const [kh, kw] = pair(opts.kernel);
    const { strides = 1, padding = 'valid', useBias = true, activation = 'linear' } = opts;
    return this.add(name, 'DepthwiseConv2D', [x], {
      kernel_size: [kh, kw], strides: [strides, strides], padding, data_format: 'channels_last', dilation_rate: [1, 1],
      depth_multiplier: 1, activation, use_bias: useBias, depthwise_initializer: GLOROT, bias_initializer: ZEROS,
      depthwise_regularizer: null, bias_regularizer: null, activity_regularizer: null, depthwise_constraint: null, bias_constraint: null,
    }, [convOut(x.shape[0], kh, strides, padding), convOut(x.shape[1], kw, strides, padding), x.shape[2]]);
  }

  batchNorm(x: Node, name: string, opts: { epsilon?: number; momentum?: number; scale?: boolean; axis?: number } = {}): Node {
    return this.add(name, 'BatchNormalization', [x], {
      axis: opts.axis ?? -1, momentum: opts.momentum ?? 0.99, epsilon: opts.epsilon ?? 1e-3, center: true, scale: opts.scale ?? true,
      beta_initializer: ZEROS, gamma_initializer: ONES, moving_mean_initializer: ZEROS, moving_variance_initializer: ONES,
      beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
    }, x.shape);
  }

  relu6(x: Node, name: string): Node {
    return this.add(name, 'ReLU', [x], { max_value: 6, negative_slope: 0, threshold: 0 }, x.shape);
  }

  activation(x: Node, name: string, activation: string): Node {
    return this.add(name, 'Activation', [x], { activation }, x.shape);
  }

  zeroPadding(x: Node, name: string, [[top, bottom], [left, right]]: [[number, number], [number, number]]): Node {
    return this.add(name, 'ZeroPadding2D', [x], { padding: [[top, bottom], [left, right]], data_format: 'channels_last' },
      [x.shape[0] + top + bottom, x.shape[1] + left + right, x.shape[2]]);
  }

  pool(x: Node, name: string, kind: 'Max' | 'Average', size: number, strides: number, padding: 'same' | 'valid' = 'valid'): Node {
    return this.add(name, `${kind}Pooling2D`, [x], { pool_size: [size, size], padding, strides: [strides, strides], data_format: 'channels_last' },
      [convOut(x.shape[0], size, strides, padding), convOut(x.shape[1], size, strides, padding), x.shape[2]]);
  }

  globalAveragePool(x: Node, name: string): Node {
    return this.add(name, 'GlobalAveragePooling2D', [x], { data_format: 'channels_last' }, [x.shape[2]]);
  }

  flatten(x: Node, name: string): Node {
    return this.add(name, 'Flatten', [x], { data_format: 'channels_last' }, [x.shape.reduce((a, b) => a * b, 1)]);
  }

  reshape(x: Node, name: string, target: number[]): Node {
    return this.add(name, 'Reshape', [x], { target_shape: target }, target);
  }

  dropout(x: Node, name: string, rate: number): Node {
    return this.add(name, 'Dropout', [x], { rate, noise_shape: null, seed: null }, x.shape);
  }

  dense(x: Node, name: string, units: number, activation = 'linear'): Node {
    return this.add(name, 'Dense', [x], {
      units, activation, use_bias: true, kernel_initializer: GLOROT, bias_initializer: ZEROS,
      kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
    }, [units]);
  }

  addTensors(xs: Node[], name: string): Node {
    return this.add(name, 'Add', xs, {}, xs[0].shape);
  }

  concatenate(xs: Node[], name: string): Node {
    const channels = xs.reduce((sum, x) => sum + x.shape[x.shape.length - 1], 0);
    return this.add(name, 'Concatenate', xs, { axis: -1 }, [...xs[0].shape.slice(0, -1), channels]);
  }

  topology(name: string, input: Node, output: Node): FunctionalTopology {
    const config = { name, layers: structuredClone(this.layers), input_layers: [[input.layer, 0, 0]], output_layers: [[output.layer, 0, 0]] };
    return { model_config: { class_name: 'Model', config } } as FunctionalTopology;
  }

  private add(name: string, className: string, inputs: Node[], config: Config, shape: number[]): Node {
    if (shape.some((d) => !(d > 0))) throw new Error(`${name}: the input is too small for this architecture (output shape ${shape.join('×')})`);
    this.layers.push({
      name, class_name: className, config: { name, trainable: true, dtype: 'float32', ...config },
      inbound_nodes: [inputs.map((x) => [x.layer, 0, 0, {}])],
    });
    return { layer: name, shape };
  }
}
