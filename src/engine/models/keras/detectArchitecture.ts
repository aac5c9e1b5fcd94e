// Which catalog architecture a weights-only Keras file (model.save_weights / keras.applications' downloads) belongs to,
// from its layer names and one telling weight shape: such a file has no model config to build from.
import { CATALOG } from '../../../shared/catalog';
import type { CatalogEntry } from '../../../shared/catalogTypes';
import { ModelError } from '../errors';
import { type H5Group, type H5Module, isDataset, isGroup, stringAttr, stringListAttr, withH5File } from './h5';

export interface DetectedArchitecture {
  entry: CatalogEntry;
  /** Why, for people: e.g. `conv_pw_13 with 256 channels: MobileNet alpha 0.25`. */
  evidence: string;
}

interface Signature {
  /** A layer only this architecture has. */
  layer: string;
  architecture: CatalogEntry['architecture'];
  name: string;
  /** Output channels of `layer`'s kernel per width multiplier (MobileNets). */
  alphaByChannels?: Record<number, number>;
}

const SIGNATURES: Signature[] = [
  { layer: 'conv_pw_13', architecture: 'mobilenet_v1', name: 'MobileNet', alphaByChannels: { 1024: 1, 768: 0.75, 512: 0.5, 256: 0.25 } },
  { layer: 'block_16_project', architecture: 'mobilenet_v2', name: 'MobileNetV2', alphaByChannels: { 112: 0.35, 160: 0.5, 240: 0.75, 320: 1, 416: 1.3, 448: 1.4 } },
  { layer: 'conv5_block3_3_conv', architecture: 'resnet50', name: 'ResNet50' },
  { layer: 'block5_conv3', architecture: 'vgg16', name: 'VGG16' },
  { layer: 'mixed10', architecture: 'inception_v3', name: 'InceptionV3' },
];

const RECOGNISED = SIGNATURES.map((s) => `${s.name} (${s.layer})`).join(', ');

/** Output channels of a layer's first weight (its kernel), read from the file's shape only. */
function kernelChannels(root: H5Group, h5: H5Module, layer: string): number | undefined {
  const group = root.get(layer);
  if (!isGroup(group, h5)) return undefined;
  const [kernel] = stringListAttr(group, 'weight_names') ?? [];
  const dataset = kernel ? group.get(kernel) : undefined;
  return isDataset(dataset, h5) ? dataset.shape?.at(-1) : undefined;
}

/**
 * The catalog entry (with ImageNet download) of a Keras 2 weights-only file; undefined for a whole-model file (it
 * carries its own config). A weights-only file of no known architecture is refused with what is recognised.
 */
export function detectWeightsArchitecture(file: string): Promise<DetectedArchitecture | undefined> {
  return withH5File(file, 'r', (root, h5) => {
    if (stringAttr(root, 'model_config') !== undefined || isGroup(root.get('model_weights'), h5)) return undefined;
    const layers = stringListAttr(root, 'layer_names');
    if (!layers) return undefined;
    const signature = SIGNATURES.find((s) => layers.includes(s.layer));
    const listed = `${layers.slice(0, 5).join(', ')}${layers.length > 5 ? ', …' : ''}`;
    const refuse = (why: string) => new ModelError(why, file, `Name the architecture with base.model (a catalog id such as mobilenet_0.25) and this file as base.weights, or save the whole model with model.save("x.h5")`);
    if (!signature) throw refuse(`holds weights only, and its layers (${listed}) match no catalog architecture (recognised: ${RECOGNISED})`);
    const channels = signature.alphaByChannels ? kernelChannels(root, h5, signature.layer) : undefined;
    const alpha = signature.alphaByChannels ? signature.alphaByChannels[channels ?? -1] : undefined;
    if (signature.alphaByChannels && alpha === undefined) throw refuse(`looks like ${signature.name} (layer ${signature.layer}) but with ${channels} channels there, a width no catalog entry has`);
    const entry = CATALOG.find((e) => e.source.kind === 'keras' && e.architecture === signature.architecture && (alpha === undefined || e.alpha === alpha))!;
    const evidence = alpha === undefined ? `layer ${signature.layer}: ${signature.name}` : `${signature.layer} with ${channels} channels: ${signature.name} alpha ${alpha}`;
    return { entry, evidence };
  });
}
