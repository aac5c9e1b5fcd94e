// What a catalog entry says about a base model (types only; the preprocessing modes live in preprocessing.ts), so the entries (catalog.ts, kerasCatalog.ts) and the
// engine's loaders share them without importing each other.
import type { Preprocessing } from './preprocessing';

/** The keras.applications architectures the engine can build (src/engine/models/architectures). */
export type Architecture = 'vgg16' | 'resnet50' | 'inception_v3' | 'mobilenet_v1' | 'mobilenet_v2';
/** The nsfwjs checkpoints offered offline; nsfwjs also ships `mobilenet_v2_mid`, but it is a frozen graph model (no layers to cut or train). */
export type NsfwjsModelName = 'mobilenet_v2' | 'inception_v3';

/** One keras.applications weight file: for the top or not, trained at one input size. */
export interface KerasWeightsFile {
  url: string;
  includeTop: boolean;
  inputSize: number;
  /** Keras' published `file_hash` (md5) where keras.applications has one. */
  fileHash?: string;
}

export type CatalogSource =
  | { kind: 'nsfwjs'; name: NsfwjsModelName }
  | { kind: 'url'; url: string; sha256?: string }
  /** Our definition of the architecture, with keras.applications' ImageNet weights downloaded on demand. */
  | { kind: 'keras'; files: readonly KerasWeightsFile[] };

export interface CatalogEntry {
  id: string;
  displayName: string;
  architecture: Architecture;
  source: CatalogSource;
  defaultInputSize: number;
  minInputSize: number;
  maxInputSize: number;
  preprocessing: Preprocessing;
  defaultCutLayer: string;
  /** Parameters of the base up to and including the default cut layer. */
  params: number;
  /** Bytes of the model's files as shipped (nsfwjs: its base64 JS modules) or as downloaded (approximate). */
  sizeOnDiskBytes: number;
  licence: string;
  origin: string;
  /** Width multiplier (MobileNets). */
  alpha?: number;
  /**
   * Work of the frozen forward pass per image at 224 px, in units of the calibration matmul
   * (src/engine/backend/calibration.ts): seconds per image × that matmul's GFLOP/s, measured together on one thread
   * by scripts/forwardCosts.ts. A machine's calibration turns it into seconds; scale by (size / 224)².
   */
  forwardCost: number;
}

/** What one block of an architecture is (the unit `trainable.topBlocks` counts) and how many its default cut has. */
export interface ArchitectureBlocks {
  count: number;
  /** Completes "a block = …". */
  unit: string;
}
