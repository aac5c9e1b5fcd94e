// Messages between the main thread and a forward-pass worker thread (buffers are transferred, not copied).
import type { FrozenRecipe } from './parallelRecipe';

export interface WorkerSetup {
  recipe: FrozenRecipe;
}

/** `pixels`: `count` decoded RGB images, HWC, inputSize² × 3 bytes each. */
export type ToWorker = { kind: 'forward'; id: number; pixels: Uint8Array; count: number };

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'result'; id: number; values: Float32Array }
  | { kind: 'failed'; id?: number; message: string };
