// The base models a user can pick by name, with honest notes on where their weights come from. Data only: the
// engine's loaders (src/engine/models/load.ts, kerasBase.ts) fetch and build them. Ids mean what Keras users expect:
// `mobilenet_v2`, `inception_v3`, `resnet50`, `vgg16`, `mobilenet` are ImageNet builds; the checkpoints shipped in
// nsfwjs say so in their ids (files written before this rename: src/shared/catalogRenames.ts).
import type { Architecture, ArchitectureBlocks, CatalogEntry, KerasWeightsFile } from './catalogTypes';
import { INCEPTION_V3_COST, KERAS_CATALOG, MOBILENET_QUARTER_COST, MOBILENET_V2_COST } from './kerasCatalog';

export type * from './catalogTypes';

export const CATALOG: readonly CatalogEntry[] = [
  {
    id: 'nsfwjs_mobilenet_v2',
    displayName: 'MobileNetV2 1.0 (nsfwjs checkpoint, offline)',
    architecture: 'mobilenet_v2',
    source: { kind: 'nsfwjs', name: 'mobilenet_v2' },
    defaultInputSize: 224,
    minInputSize: 32,
    maxInputSize: 512,
    preprocessing: 'scale-0-1', // nsfwjs trained these checkpoints on pixels / 255
    defaultCutLayer: 'out_relu',
    params: 2_257_984,
    sizeOnDiskBytes: 3_600_073,
    forwardCost: MOBILENET_V2_COST,
    licence: 'MIT',
    origin:
      'nsfwjs 4.4.0 checkpoint (MobileNetV2 body fine-tuned on a 5-class NSFW task, MIT) — weaker features than ImageNet; download ImageNet weights for real work',
  },
  {
    id: 'nsfwjs_inception_v3',
    displayName: 'InceptionV3 (nsfwjs checkpoint, offline)',
    architecture: 'inception_v3',
    source: { kind: 'nsfwjs', name: 'inception_v3' },
    defaultInputSize: 299,
    minInputSize: 75,
    maxInputSize: 512,
    preprocessing: 'scale-0-1',
    defaultCutLayer: 'mixed10',
    params: 21_802_784,
    sizeOnDiskBytes: 29_997_085,
    forwardCost: INCEPTION_V3_COST,
    licence: 'MIT',
    origin: 'nsfwjs 4.4.0 checkpoint (InceptionV3 body fine-tuned on a 5-class NSFW task, MIT) — weaker features than ImageNet; slow on CPU (≈10× MobileNetV2)',
  },
  {
    id: 'mobilenet_v1_0.25_224',
    displayName: 'MobileNet v1 0.25 (ImageNet, download)',
    architecture: 'mobilenet_v1',
    alpha: 0.25,
    source: { kind: 'url', url: 'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.25_224/model.json' },
    defaultInputSize: 224,
    minInputSize: 32,
    maxInputSize: 512,
    preprocessing: 'scale-minus1-1',
    defaultCutLayer: 'conv_pw_13_relu',
    params: 218_544,
    sizeOnDiskBytes: 1_950_000, // 475,544 float32 weights with the 1000-class top, plus model.json
    forwardCost: MOBILENET_QUARTER_COST,
    licence: 'Apache-2.0',
    origin: 'Keras applications MobileNet (alpha 0.25) ImageNet weights as hosted by the TensorFlow.js team; downloaded on first use and cached',
  },
  ...KERAS_CATALOG,
];

/** The blocks of each architecture cut at its default layer, as the engine groups them (layerTree.ts blockOf). */
export const ARCHITECTURE_BLOCKS: Record<Architecture, ArchitectureBlocks> = {
  vgg16: { count: 6, unit: "one of VGG16's 5 convolution stages (2–3 convs and a max-pool; the input is a 6th)" },
  resnet50: { count: 17, unit: 'one residual bottleneck unit of ResNet50 (1×1, 3×3 and 1×1 convs around a shortcut; the stem is a 17th)' },
  inception_v3: { count: 12, unit: 'one Inception module of InceptionV3 (mixed0–mixed10: parallel conv branches, concatenated; the stem is a 12th)' },
  mobilenet_v1: { count: 14, unit: 'one depthwise-separable pair of MobileNet (a 3×3 depthwise, then a 1×1 conv; the stem is a 14th)' },
  mobilenet_v2: { count: 19, unit: 'one inverted-residual stage of MobileNetV2 (expand, depthwise, project; the stem and the final 1×1 conv are one each)' },
};

export function findCatalogEntry(id: string): CatalogEntry | undefined {
  return CATALOG.find((entry) => entry.id === id);
}

/** The weight file trained at `inputSize` when Keras publishes one, else the one for the default size. */
export function kerasWeightsFile(entry: CatalogEntry, inputSize: number, includeTop: boolean): KerasWeightsFile | undefined {
  if (entry.source.kind !== 'keras') return undefined;
  const files = entry.source.files.filter((f) => f.includeTop === includeTop);
  return files.find((f) => f.inputSize === inputSize) ?? files.find((f) => f.inputSize === entry.defaultInputSize);
}
