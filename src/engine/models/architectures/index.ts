// The keras.applications architectures we can build without any weights, by catalog architecture name.
import type { Architecture } from '../../../shared/catalogTypes';
import type { FunctionalTopology } from '../surgery';
import { inceptionV3 } from './inceptionV3';
import { mobilenet } from './mobilenet';
import { mobilenetV2 } from './mobilenetV2';
import type { ArchitectureOptions } from './options';
import { resnet50 } from './resnet50';
import { vgg16 } from './vgg16';

export type { ArchitectureOptions } from './options';

export type KerasArchitecture = Architecture;

interface ArchitectureSpec {
  build: (opts: ArchitectureOptions) => FunctionalTopology;
  /** Input side the ImageNet top (Flatten/Dense sizes) was built for. */
  defaultInputSize: number;
  /** Smallest side keras.applications accepts. */
  minInputSize: number;
}

export const ARCHITECTURES: Record<KerasArchitecture, ArchitectureSpec> = {
  vgg16: { build: vgg16, defaultInputSize: 224, minInputSize: 32 },
  resnet50: { build: resnet50, defaultInputSize: 224, minInputSize: 32 },
  inception_v3: { build: inceptionV3, defaultInputSize: 299, minInputSize: 75 },
  mobilenet_v1: { build: mobilenet, defaultInputSize: 224, minInputSize: 32 },
  mobilenet_v2: { build: mobilenetV2, defaultInputSize: 224, minInputSize: 32 },
};

/** The architecture's Keras model config; with include_top, only at the default size (the classifier fixes it). */
export function buildArchitecture(name: KerasArchitecture, opts: ArchitectureOptions): FunctionalTopology {
  const spec = ARCHITECTURES[name];
  if (opts.inputSize < spec.minInputSize) throw new RangeError(`${name} needs inputs of at least ${spec.minInputSize} px, got ${opts.inputSize}`);
  return spec.build(opts);
}
