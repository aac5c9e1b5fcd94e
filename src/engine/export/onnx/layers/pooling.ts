// Max/average pooling over windows (TF's 'same' padding: averages exclude the padding, maxima ignore it) and global pooling.
import { type LayerConverter, Unsupported } from './types';
import { slidingWindow } from './window';

const pooling = (op: 'MaxPool' | 'AveragePool'): LayerConverter => ({ graph, layer, config }, [x]) => {
  const window = slidingWindow(config, 'pool_size', x.shape);
  if (window.dilations.some((d) => d !== 1)) throw new Unsupported('pools with dilation');
  const attributes = { kernel_shape: window.kernel, strides: window.strides, pads: window.pads };
  return { name: graph.node(op, [x.name], attributes, layer.name), shape: [...window.out, x.shape[2]] };
};

const globalPooling = (op: 'GlobalMaxPool' | 'GlobalAveragePool'): LayerConverter => ({ graph, layer, config }, [x]) => {
  if (config.keepdims === true) throw new Unsupported('keeps the pooled dimensions, which the ONNX export does not write');
  if (x.shape.length !== 3) throw new Unsupported(`gets a rank-${x.shape.length + 1} input, not an image`);
  const pooled = graph.node(op, [x.name], {}, `${layer.name}_nc11`);
  return { name: graph.node('Flatten', [pooled], { axis: 1 }, layer.name), shape: [x.shape[2]] };
};

export const maxPooling2d = pooling('MaxPool');
export const averagePooling2d = pooling('AveragePool');
export const globalMaxPooling2d = globalPooling('GlobalMaxPool');
export const globalAveragePooling2d = globalPooling('GlobalAveragePool');
