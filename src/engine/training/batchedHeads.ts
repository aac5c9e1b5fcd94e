// Many small classifier heads (softmax regression, or one relu hidden layer) trained at once as one batched
// computation: the doctor's K fold heads and the search's trials × folds. Each head has its own weights, Adam moments,
// learning rate, dropout and rows; one step is a handful of batched kernels instead of ~100 per head. Gradients are
// written out (tfjs's autodiff of a matMul multiplies by a transposed input, which the wasm backend computes several
// times slower than a plain product); Adam runs as one loop over the weights kept in JS arrays, ~4× faster on wasm than
// its dozen element-wise kernels over every weight (a 256-unit hidden layer on 1024 features is 262k weights a head).
import * as tf from '@tensorflow/tfjs';
import { createRng, deriveSeed, type Rng } from '../random';

export interface HeadSpec {
  learningRate: number;
  /** Keras Dropout rate, after the hidden layer (or on the input when there is none), as createHeadLayers orders it. */
  dropout: number;
  /** Seeds the initial weights (as createHeadLayers does) and the dropout masks. */
  seed: number;
}

export interface HeadShape {
  width: number;
  classes: number;
  hiddenUnits: number;
  /** 'glorot' as a Keras Dense layer; 'zeros' for a convex softmax regression. */
  init: 'glorot' | 'zeros';
}

// tfjs' Adam defaults (the optimizer a run trains with)
const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-7;

interface Parameter {
  value: Float32Array;
  m: Float32Array;
  v: Float32Array;
  rows: number;
  units: number;
  /** Kernels take weight decay, biases do not. */
  kernel: boolean;
}

/** One head's weights and Adam moments between batched computations (a search rung batches other heads than the last). */
export class HeadState {
  readonly parameters: Parameter[];
  steps = 0;
  readonly dropoutRng: Rng;

  constructor(readonly spec: HeadSpec, readonly shape: HeadShape) {
    const { width, classes, hiddenUnits, init } = shape;
    const kernel = (purpose: string, rows: number, units: number) => {
      if (init === 'zeros') return new Float32Array(rows * units);
      const initial = tf.initializers.glorotUniform({ seed: deriveSeed(spec.seed, purpose) }).apply([rows, units]);
      const values = initial.dataSync() as Float32Array;
      initial.dispose();
      return values;
    };
    const layers: [Float32Array, number, number][] = hiddenUnits > 0
      ? [[kernel('hidden', width, hiddenUnits), width, hiddenUnits], [kernel('logits', hiddenUnits, classes), hiddenUnits, classes]]
      : [[kernel('logits', width, classes), width, classes]];
    this.parameters = layers.flatMap(([w, rows, units]) => [
      { value: w, rows, units, kernel: true },
      { value: new Float32Array(units), rows: 1, units, kernel: false },
    ]).map((p) => ({ ...p, m: new Float32Array(p.value.length), v: new Float32Array(p.value.length) }));
    this.dropoutRng = createRng(deriveSeed(spec.seed, 'dropout'));
  }
}

export interface HeadBatch {
  /** [G, B, width] (each head its own rows) or [B, width] (every head the same rows). */
  x: tf.Tensor;
  /** x's transpose ([G, width, B] or [width, B]): the kernel's gradient xᵀ·dz is then a plain product. */
  xT?: tf.Tensor;
  /** One-hot targets, [G, B, classes] or [1, B, classes]. */
  targets: tf.Tensor;
  /** [G, B, 1]: each row's share of its head's loss (Keras: class weight / batch size); 0 for a padding row. */
  rowWeights: tf.Tensor;
  /** Heads left untouched by this step (no rows for them); omitted, every head steps. */
  active?: boolean[];
}

/** A set of same-shaped heads packed head after head into one array per parameter; `release()` hands each head's state back. */
export class BatchedHeads {
  private readonly packed: Parameter[];
  private readonly hidden: boolean;

  constructor(private readonly heads: HeadState[], private readonly weightDecay = 0) {
    this.hidden = heads[0].shape.hiddenUnits > 0;
    this.packed = heads[0].parameters.map((p, i) => {
      const join = (pick: (q: Parameter) => Float32Array) => {
        const all = new Float32Array(heads.length * p.value.length);
        heads.forEach((h, g) => all.set(pick(h.parameters[i]), g * p.value.length));
        return all;
      };
      return { ...p, value: join((q) => q.value), m: join((q) => q.m), v: join((q) => q.v) };
    });
  }

  /** Logits [G, B, classes] without dropout. */
  logits(x: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => this.forward(x, this.weights(), undefined).logits as tf.Tensor3D);
  }

  async step(batch: HeadBatch): Promise<void> {
    const active = batch.active ?? this.heads.map(() => true);
    const all = tf.tidy(() => {
      const weights = this.weights();
      const rows = batch.x.shape[batch.x.rank - 2];
      const masks = this.dropoutMasks(rows, this.hidden ? this.heads[0].shape.hiddenUnits : this.heads[0].shape.width);
      const { input, hidden, logits } = this.forward(batch.x, weights, masks);
      // d(weighted cross-entropy)/d(logits) = weight · (softmax − onehot)
      const dz = tf.softmax(logits).sub(batch.targets).mul(batch.rowWeights);
      const inputT = input === batch.x ? batch.xT : undefined;
      const grads = hidden
        ? this.hiddenGrads(input, inputT, weights[2], hidden.z, hidden.dropped, masks, dz)
        : [inputGrad(input, dz, inputT), dz.sum(1, true)];
      return tf.concat(grads.map((g) => g.reshape([-1])));
    });
    const grads = (await all.data()) as Float32Array;
    all.dispose();
    let offset = 0;
    this.heads.forEach((h, g) => active[g] && (h.steps += 1));
    for (const p of this.packed) {
      const size = p.value.length / this.heads.length;
      this.heads.forEach((h, g) => active[g] && adam(p, grads, offset, g * size, size, h, p.kernel ? this.weightDecay : 0));
      offset += p.value.length;
    }
  }

  /** Copies the packed weights back into the heads' states. */
  release(): void {
    this.packed.forEach((p, i) => {
      const size = p.value.length / this.heads.length;
      this.heads.forEach((h, g) => {
        const own = h.parameters[i];
        for (const key of ['value', 'm', 'v'] as const) own[key].set(p[key].subarray(g * size, (g + 1) * size));
      });
    });
  }

  private weights(): tf.Tensor[] {
    return this.packed.map((p) => tf.tensor3d(p.value, [this.heads.length, p.rows, p.units]));
  }

  private forward(x: tf.Tensor, [w1, b1, w2, b2]: tf.Tensor[], masks: tf.Tensor | undefined) {
    if (!this.hidden) {
      const input = masks ? perHead(x, this.heads.length).mul(masks) : x;
      return { input, hidden: undefined, logits: affine(input, w1, b1) };
    }
    const z = affine(x, w1, b1);
    const dropped = masks ? tf.relu(z).mul(masks) : tf.relu(z);
    return { input: x, hidden: { z, dropped }, logits: affine(dropped, w2, b2) };
  }

  private hiddenGrads(x: tf.Tensor, xT: tf.Tensor | undefined, w2: tf.Tensor, z: tf.Tensor, dropped: tf.Tensor, masks: tf.Tensor | undefined, dz: tf.Tensor): tf.Tensor[] {
    const dDropped = tf.matMul(dz as tf.Tensor3D, w2 as tf.Tensor3D, false, true);
    const dz1 = (masks ? dDropped.mul(masks) : dDropped).mul(tf.step(z));
    return [inputGrad(x, dz1, xT), dz1.sum(1, true), inputGrad(dropped, dz), dz.sum(1, true)];
  }

  /** Keras dropout per head (keep with 1 − rate, scaled by 1/(1 − rate)), from each head's own seeded stream. */
  private dropoutMasks(rows: number, units: number): tf.Tensor | undefined {
    if (this.heads.every((h) => h.spec.dropout === 0)) return undefined;
    const values = new Float32Array(this.heads.length * rows * units).fill(1);
    this.heads.forEach((h, g) => {
      const rate = h.spec.dropout;
      if (rate === 0) return;
      for (let i = g * rows * units; i < (g + 1) * rows * units; i++) values[i] = h.dropoutRng() < rate ? 0 : 1 / (1 - rate);
    });
    return tf.tensor3d(values, [this.heads.length, rows, units]);
  }
}

/** [B, D] shared by every head → [G, B, D]. */
const perHead = (x: tf.Tensor, heads: number) => (x.rank === 2 ? x.expandDims(0).tile([heads, 1, 1]) : x);

/** x·w + b per head. Shared rows multiply all heads' kernels side by side as one 2-D product ([B, D] × [D, G·U]). */
function affine(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const [heads, rows, units] = w.shape as [number, number, number];
  if (x.rank === 3) return tf.matMul(x as tf.Tensor3D, w as tf.Tensor3D).add(b);
  const side = w.transpose([1, 0, 2]).reshape([rows, heads * units]);
  return x.matMul(side as tf.Tensor2D).reshape([x.shape[0], heads, units]).transpose([1, 0, 2]).add(b);
}

/** d(loss)/d(kernel) = xᵀ·dz per head. */
function inputGrad(x: tf.Tensor, dz: tf.Tensor, xT?: tf.Tensor): tf.Tensor {
  const [heads, rows, units] = dz.shape as [number, number, number];
  if (x.rank === 3) return xT ? tf.matMul(xT as tf.Tensor3D, dz as tf.Tensor3D) : tf.matMul(x as tf.Tensor3D, dz as tf.Tensor3D, true, false);
  const side = dz.transpose([1, 0, 2]).reshape([rows, heads * units]);
  return (xT ?? x.transpose()).matMul(side as tf.Tensor2D).reshape([x.shape[1] as number, heads, units]).transpose([1, 0, 2]);
}

/** tfjs' Adam (epsilon added to the debiased second moment) on one head's slice of a packed parameter; weight decay adds 2λw. */
function adam(p: Parameter, grads: Float32Array, offset: number, start: number, size: number, head: HeadState, decay: number): void {
  const rate = head.spec.learningRate, debias1 = 1 / (1 - ADAM_BETA1 ** head.steps), debias2 = 1 / (1 - ADAM_BETA2 ** head.steps);
  const { value, m, v } = p;
  for (let i = start; i < start + size; i++) {
    const g = grads[offset + i] + 2 * decay * value[i];
    const mi = (m[i] = ADAM_BETA1 * m[i] + (1 - ADAM_BETA1) * g);
    const vi = (v[i] = ADAM_BETA2 * v[i] + (1 - ADAM_BETA2) * g * g);
    value[i] -= (rate * mi * debias1) / (Math.sqrt(vi * debias2) + ADAM_EPSILON);
  }
}
