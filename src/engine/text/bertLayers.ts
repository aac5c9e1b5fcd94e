// BERT's layer list in the image layer tree's shape (LayerInfo, hence the host's LayerRow): one row per weighted
// sub-layer, grouped into the blocks a user freezes — embeddings, encoder.layer.i, pooler — so the same trainable
// specs ({none}, {topBlocks: K}, {fromLayer}, …) and the same Layers view work for text.
import type { LayerInfo } from '../models/layerTree';
import { sizeOf, type BertConfig } from './bertConfig';
import type { BertModel, TextPooling } from './bertModel';

const CLASS_OF: [RegExp, string][] = [
  [/_embeddings$/, 'Embedding'],
  [/LayerNorm$/, 'LayerNormalization'],
  [/./, 'Dense'],
];

/** The block a sub-layer (or weight) name belongs to. */
function bertBlockOf(name: string): string {
  return name.match(/^encoder\.layer\.\d+/)?.[0] ?? name.split('.')[0];
}

export interface DescribeOptions {
  maxLength?: number;
  /** The pooler is part of the network only under "pooled" pooling, as layers past an image model's cut are not. */
  pooling?: TextPooling;
  trainable?: ReadonlySet<string>;
}

/** Rows in forward order; `trainable` marks the names given (none by default). */
export function describeBertLayers(model: BertModel, options: DescribeOptions = {}): LayerInfo[] {
  const { hiddenSize: h, intermediateSize: m } = model.config;
  const trainable = options.trainable ?? new Set();
  const rows = new Map<string, number>();
  for (const spec of model.specs) {
    if (spec.name.startsWith('pooler.') && options.pooling !== 'pooled') continue;
    const layer = spec.name.replace(/\.(weight|bias)$/, '');
    rows.set(layer, (rows.get(layer) ?? 0) + sizeOf(spec.shape));
  }
  return [...rows].map(([name, params], index) => {
    const width = name.endsWith('intermediate.dense') ? m : h;
    return {
      index, name, params, trainableParams: params, trainable: trainable.has(name), block: bertBlockOf(name),
      className: CLASS_OF.find(([pattern]) => pattern.test(name))![1],
      outputShape: name.startsWith('pooler') ? [null, width] : [null, options.maxLength ?? null, width],
    };
  });
}

/** Weight names of the given sub-layers (what becomes trainable). */
export function weightNamesOf(model: BertModel, layers: ReadonlySet<string>): string[] {
  return model.specs.map((spec) => spec.name).filter((name) => layers.has(name.replace(/\.(weight|bias)$/, '')));
}

/** Where a phase's frozen prefix ends: the first encoder layer holding a trainable weight (numLayers if none), or −1 when embeddings train. */
export function firstTrainableLayer(config: BertConfig, trainableWeights: readonly string[]): number {
  let first = config.numLayers;
  for (const name of trainableWeights) {
    if (name.startsWith('embeddings.')) return -1;
    const match = name.match(/^encoder\.layer\.(\d+)\./);
    if (match) first = Math.min(first, Number(match[1]));
  }
  return first;
}
