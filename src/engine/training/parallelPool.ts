// Worker threads that each run the frozen base (tfjs wasm is single-threaded in Node): one per core, at most two
// batches queued per worker, so both cores compute while memory stays a few batches whatever the dataset size.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerSetup } from './parallelProtocol';
import type { FrozenRecipe } from './parallelRecipe';

/** Each worker holds a model copy and a wasm heap sized for a batch (hundreds of MB at 224 px): cap the count. */
const MAX_WORKERS = 4;
const QUEUED_PER_WORKER = 2;
/** An idle pool is kept this long so the next call (validation right after training) skips the start-up. */
const IDLE_MS = 5000;

interface Pending {
  resolve(values: Float32Array): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** The worker script: beside the bundle (dist/parallelWorker.js) or, when running from source under tsx, the .ts. */
function workerEntry(): { code: string; eval: true } | { file: string } | undefined {
  if (__filename.endsWith('.ts')) {
    const source = join(__dirname, 'parallelWorker.ts');
    return { eval: true, code: `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(source)});` };
  }
  const bundled = join(__dirname, 'parallelWorker.js');
  return existsSync(bundled) ? { file: bundled } : undefined;
}

export function defaultWorkerCount(): number {
  return Math.min(availableParallelism(), MAX_WORKERS);
}

export class ForwardPool {
  private nextId = 0;
  private failure: Error | undefined;

  private constructor(private readonly slots: Slot[], readonly startupMs: number) {}

  /** Starts `count` workers and resolves when every one has loaded its model; undefined when no worker script ships. */
  static async start(recipe: FrozenRecipe, count = defaultWorkerCount()): Promise<ForwardPool | undefined> {
    const entry = workerEntry();
    if (!entry) return undefined;
    const started = performance.now();
    const setup: WorkerSetup = { recipe };
    const workers = Array.from({ length: count }, () =>
      'file' in entry ? new Worker(entry.file, { workerData: setup }) : new Worker(entry.code, { eval: true, workerData: setup }));
    try {
      await Promise.all(workers.map(untilReady));
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
    const pool = new ForwardPool(workers.map((worker) => ({ worker, pending: new Map() })), performance.now() - started);
    pool.slots.forEach((slot) => pool.listen(slot));
    pool.idle();
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Batches that can be in flight at once. */
  get capacity(): number {
    return this.slots.length * QUEUED_PER_WORKER;
  }

  /** Frozen outputs of `count` images; goes to the worker with the fewest batches queued. */
  run(pixels: Uint8Array, count: number): Promise<Float32Array> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    const message: ToWorker = { kind: 'forward', id, pixels, count };
    this.busy();
    return new Promise<Float32Array>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage(message, [pixels.buffer as ArrayBuffer]);
    });
  }

  async dispose(): Promise<void> {
    this.fail(new Error('the forward-pass workers were stopped'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private listen(slot: Slot): void {
    slot.worker.on('message', (message: FromWorker) => {
      if (message.kind === 'ready') return;
      if (message.kind === 'failed' && message.id === undefined) return this.fail(new Error(message.message));
      const pending = slot.pending.get(message.id!);
      slot.pending.delete(message.id!);
      if (message.kind === 'result') pending?.resolve(message.values);
      else pending?.reject(new Error(message.message));
      if (this.slots.every((s) => s.pending.size === 0)) this.idle();
    });
    slot.worker.on('error', (error) => this.fail(error));
    slot.worker.on('exit', (code) => this.fail(new Error(`a forward-pass worker exited (code ${code})`)));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const slot of this.slots) {
      for (const pending of slot.pending.values()) pending.reject(this.failure);
      slot.pending.clear();
    }
  }

  /** Idle workers must not keep the process alive; busy ones must, or awaiting their results could end it. */
  private idle(): void {
    this.slots.forEach((slot) => slot.worker.unref());
  }

  private busy(): void {
    this.slots.forEach((slot) => slot.worker.ref());
  }
}

function untilReady(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromWorker) => {
      worker.off('message', onMessage);
      if (message.kind === 'ready') resolve();
      else reject(new Error(`forward-pass worker failed to start: ${'message' in message ? message.message : message.kind}`));
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`forward-pass worker exited (code ${code}) while starting`)));
  });
}

let shared: { key: string; pool: Promise<ForwardPool | undefined>; timer?: NodeJS.Timeout } | undefined;

/** The pool for `recipe`, reused while calls follow each other; a pool for another recipe is stopped first. */
export async function acquirePool(recipe: FrozenRecipe): Promise<ForwardPool | undefined> {
  const key = JSON.stringify(recipe);
  if (shared?.key !== key) {
    await releaseAllPools();
    shared = { key, pool: ForwardPool.start(recipe) };
  }
  clearTimeout(shared.timer);
  const current = shared;
  return current.pool.catch((error) => {
    if (shared === current) shared = undefined;
    throw error;
  });
}

/** Hands the pool back: it stops after IDLE_MS unless acquired again. */
export function releasePool(): void {
  if (!shared) return;
  const current = shared;
  current.timer = setTimeout(() => {
    if (shared === current) shared = undefined;
    void current.pool.then((pool) => pool?.dispose());
  }, IDLE_MS);
  current.timer.unref();
}

export async function releaseAllPools(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (!current) return;
  clearTimeout(current.timer);
  await current.pool.then((pool) => pool?.dispose(), () => undefined);
}
