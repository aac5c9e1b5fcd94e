// The data module's public surface: scan a folder, split it, stream decoded batches.
export { DatasetError } from './errors';
export { scanDataset } from './scan';
export { stratifiedSplit, type SplitFractions } from './split';
export { thumbnailDataUri } from './thumbnail';
export { decodeImage, decodeImageBuffer, DEFAULT_MAX_PIXELS, type DecodeOptions, type DecodeResult } from './decode';
export { augmentImage, isAugmentActive, type AugmentSpec } from './augment';
export { imageBatches, noneReadable, type BatchOptions, type ImageBatch, type SkippedImage } from './batches';
export { isImagePath } from './walk';
export type { DatasetProblem, DatasetProblemKind, DatasetScan, Sample, SplitName, SplitSamples } from './types';
