// Who computes a batch of frozen outputs: this thread, or the worker pool once the caller decides it pays off.
import * as tf from '@tensorflow/tfjs';
import type { Preprocessing } from '../models/preprocess';
import { acquirePool, defaultWorkerCount, releaseAllPools, releasePool, type ForwardPool } from './parallelPool';
import { frozenForward, type FrozenPart, type FrozenRecipe } from './parallelRecipe';
import { pixelsToInput } from './tensors';

/**
 * The frozen computation from preprocessed input to stored output: a function this thread runs, or a base and a
 * recipe that this thread and worker threads both rebuild (BatchNorm folded): identical results, every core.
 */
export type FrozenComputation = { inputSize: number; preprocessing: Preprocessing } & (
  | { forward: (input: tf.Tensor4D) => tf.Tensor; frozenBase?: undefined }
  | { frozenBase: { model: tf.LayersModel; recipe: FrozenRecipe }; forward?: undefined }
);

export class FrozenCompute {
  private pool: ForwardPool | undefined;
  private folded: FrozenPart | undefined;
  /** For logs: which threads computed, e.g. "2 worker threads (started in 1.3 s)". */
  computedBy = 'this thread';

  constructor(private readonly job: FrozenComputation) {}

  /** Workers need a rebuildable base and a second core. */
  get canUseWorkers(): boolean {
    return this.job.frozenBase !== undefined && defaultWorkerCount() > 1;
  }

  /** Batches that may be in flight at once. */
  get limit(): number {
    return this.pool?.capacity ?? 1;
  }

  async run(pixels: Uint8Array, count: number): Promise<Float32Array> {
    if (this.pool) return this.pool.run(pixels, count);
    const { frozenBase, inputSize, preprocessing } = this.job;
    if (frozenBase) this.folded ??= frozenForward(frozenBase.model, frozenBase.recipe);
    const forward = this.folded?.run ?? this.job.forward!;
    const output = tf.tidy(() => forward(pixelsToInput(pixels, inputSize, preprocessing)));
    const values = (await output.data()) as Float32Array;
    output.dispose();
    return values;
  }

  /** Hands later batches to worker threads; stays in this thread, saying why, when they cannot start. */
  async useWorkers(): Promise<void> {
    try {
      this.pool = await acquirePool(this.job.frozenBase!.recipe);
      this.computedBy = this.pool
        ? `${this.pool.size} worker threads (started in ${(this.pool.startupMs / 1000).toFixed(1)} s)`
        : 'this thread (no worker script beside the bundle)';
    } catch (error) {
      this.computedBy = `this thread (workers failed to start: ${(error as Error).message})`;
    }
  }

  /** Keeps a healthy pool warm for the next call (validation right after training); stops it after a failure. */
  async close(failed: boolean): Promise<void> {
    this.folded?.dispose();
    if (failed) await releaseAllPools();
    else if (this.pool) releasePool();
  }
}
