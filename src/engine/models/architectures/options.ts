// What every architecture builder takes.

export interface ArchitectureOptions {
  /** Square input side in pixels. */
  inputSize: number;
  /** Keras' include_top: the ImageNet classifier on top of the feature extractor. */
  includeTop: boolean;
  /** Width multiplier (MobileNets only). */
  alpha?: number;
  /** Classes of the top (include_top only); 1000 for ImageNet. */
  classes?: number;
}
