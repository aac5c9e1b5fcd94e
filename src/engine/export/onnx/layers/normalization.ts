// BatchNormalization at inference (moving statistics), and Rescaling: per-channel affine maps.
import type { LayerConverter } from './types';
import { Unsupported, required } from './types';
import { onnxAxis } from '../layout';

export const batchNormalization: LayerConverter = (context, [x]) => {
  const { graph, layer, config } = context;
  const axis = Array.isArray(config.axis) ? config.axis : [config.axis ?? -1];
  if (axis.length !== 1 || onnxAxis(Number(axis[0]), x) !== 1) throw new Unsupported('normalises an axis other than the channels, which the ONNX export does not write');
  const mean = required(context, 'moving_mean');
  const channels = mean.shape[0];
  const filled = (role: string, value: number) => context.weight(role)?.values ?? new Float32Array(channels).fill(value);
  const inputs = [
    x.name,
    graph.floats(`${layer.name}_gamma`, [channels], filled('gamma', 1)),
    graph.floats(`${layer.name}_beta`, [channels], filled('beta', 0)),
    graph.floats(`${layer.name}_mean`, [channels], mean.values),
    graph.floats(`${layer.name}_variance`, [channels], required(context, 'moving_variance').values),
  ];
  return { name: graph.node('BatchNormalization', inputs, { epsilon: { float: Number(config.epsilon ?? 1e-3) } }, layer.name), shape: x.shape };
};

export const rescaling: LayerConverter = ({ graph, layer, config }, [x]) => {
  const [scale, offset] = [config.scale ?? 1, config.offset ?? 0];
  if (typeof scale !== 'number' || typeof offset !== 'number') throw new Unsupported('has a per-channel scale or offset, which the ONNX export does not write');
  const scaled = graph.node('Mul', [x.name, graph.floats(`${layer.name}_scale`, [], [scale])], {}, `${layer.name}_scaled`);
  return { name: graph.node('Add', [scaled, graph.floats(`${layer.name}_offset`, [], [offset])], {}, layer.name), shape: x.shape };
};
