// Many small classifier heads (softmax regression, or one relu hidden layer) trained at once as one batched
// computation: the doctor's K fold heads and the search's trials × folds. Each head has its own weights, Adam moments,
// learning rate, dropout and rows; one step is a handful of batched kernels instead of ~100 per head. Gradients and
// Adam are written out: tfjs's autodiff of a matMul multiplies by a transposed input, which the wasm backend computes
// several times slower than a plain product.
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

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-7;

interface Parameter {
  value: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor;
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
    const kernel = (purpose: string, rows: number, units: number) =>
      init === 'zeros' ? tf.zeros([rows, units]) : tf.initializers.glorotUniform({ seed: deriveSeed(spec.seed, purpose) }).apply([rows, units]);
    const layers: [tf.Tensor, number][] = hiddenUnits > 0 ? [[kernel('hidden', width, hiddenUnits), hiddenUnits], [kernel('logits', hiddenUnits, classes), classes]] : [[kernel('logits', width, classes), classes]];
    this.parameters = layers.flatMap(([w, units]) => [w, tf.zeros([1, units])]).map((value, i) => ({ value, m: tf.zerosLike(value), v: tf.zerosLike(value), kernel: i % 2 === 0 }));
    this.dropoutRng = createRng(deriveSeed(spec.seed, 'dropout'));
  }

  dispose(): void {
    tf.dispose(this.parameters.flatMap((p) => [p.value, p.m, p.v]));
  }
}

export interface HeadBatch {
  /** [G, B, width] (each head its own rows) or [B, width] (every head the same rows). */
  x: tf.Tensor;
  /** The shared rows' transpose, kept by a caller that steps many times on the same rows. */
  xT?: tf.Tensor;
  /** One-hot targets, [G, B, classes] or [1, B, classes]. */
  targets: tf.Tensor;
  /** [G, B, 1]: each row's share of its head's loss (Keras: class weight / batch size); 0 for a padding row. */
  rowWeights: tf.Tensor;
  /** Heads left untouched by this step (no rows for them); omitted, every head steps. */
  active?: boolean[];
}

/** A set of same-shaped heads packed into [G, …] tensors; `release()` hands each head's state back. */
export class BatchedHeads {
  private readonly packed: Parameter[];
  private readonly hidden: boolean;

  constructor(private readonly heads: HeadState[], private readonly weightDecay = 0) {
    this.hidden = heads[0].shape.hiddenUnits > 0;
    this.packed = heads[0].parameters.map((p, i) => {
      const stack = (pick: (q: Parameter) => tf.Tensor) => tf.stack(heads.map((h) => pick(h.parameters[i])));
      return { value: stack((q) => q.value), m: stack((q) => q.m), v: stack((q) => q.v), kernel: p.kernel };
    });
  }

  /** Logits [G, B, classes] without dropout. */
  logits(x: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => this.forward(x, undefined).logits as tf.Tensor3D);
  }

  step(batch: HeadBatch): void {
    const active = batch.active ?? this.heads.map(() => true);
    this.heads.forEach((h, g) => active[g] && (h.steps += 1));
    const next = tf.tidy(() => {
      const rows = batch.x.shape[batch.x.rank - 2];
      const masks = this.dropoutMasks(rows, this.hidden ? this.heads[0].shape.hiddenUnits : this.heads[0].shape.width);
      const { input, hidden, logits } = this.forward(batch.x, masks);
      // d(weighted cross-entropy)/d(logits) = weight · (softmax − onehot)
      const dz = tf.softmax(logits).sub(batch.targets).mul(batch.rowWeights);
      const inputT = input === batch.x ? batch.xT : undefined;
      const grads = hidden ? this.hiddenGrads(input, inputT, hidden.z, hidden.dropped, masks, dz) : [inputGrad(input, dz, inputT), dz.sum(1, true)];
      const eachHead = (value: (h: HeadState) => number) => tf.tensor3d(this.heads.map((h, g) => (active[g] ? value(h) : 0)), [this.heads.length, 1, 1]);
      const step = { rate: eachHead((h) => h.spec.learningRate), debias1: eachHead((h) => 1 / (1 - ADAM_BETA1 ** h.steps)), debias2: eachHead((h) => 1 / (1 - ADAM_BETA2 ** h.steps)) };
      const keep = active.every(Boolean) ? undefined : tf.tensor3d(active.map((a) => (a ? 1 : 0)), [active.length, 1, 1]);
      return this.packed.map((p, i) => adam(p, p.kernel && this.weightDecay ? grads[i].add(p.value.mul(2 * this.weightDecay)) : grads[i], step, keep));
    });
    this.packed.forEach((p, i) => {
      tf.dispose([p.value, p.m, p.v]);
      Object.assign(p, next[i]);
    });
  }

  /** Splits the packed tensors back into the heads' states and frees them. */
  release(): void {
    this.packed.forEach((p, i) => {
      const [values, ms, vs] = [p.value, p.m, p.v].map((t) => tf.unstack(t));
      this.heads.forEach((h, g) => {
        const own = h.parameters[i];
        tf.dispose([own.value, own.m, own.v]);
        Object.assign(own, { value: values[g], m: ms[g], v: vs[g] });
      });
      tf.dispose([p.value, p.m, p.v]);
    });
  }

  private forward(x: tf.Tensor, masks: tf.Tensor | undefined) {
    const [w1, b1, w2, b2] = this.packed.map((p) => p.value);
    if (!this.hidden) {
      const input = masks ? perHead(x, this.heads.length).mul(masks) : x;
      return { input, hidden: undefined, logits: affine(input, w1, b1) };
    }
    const z = affine(x, w1, b1);
    const dropped = masks ? tf.relu(z).mul(masks) : tf.relu(z);
    return { input: x, hidden: { z, dropped }, logits: affine(dropped, w2, b2) };
  }

  private hiddenGrads(x: tf.Tensor, xT: tf.Tensor | undefined, z: tf.Tensor, dropped: tf.Tensor, masks: tf.Tensor | undefined, dz: tf.Tensor): tf.Tensor[] {
    const w2 = this.packed[2].value;
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
  if (x.rank === 3) return tf.matMul(x as tf.Tensor3D, dz as tf.Tensor3D, true, false);
  const side = dz.transpose([1, 0, 2]).reshape([rows, heads * units]);
  return (xT ?? x.transpose()).matMul(side as tf.Tensor2D).reshape([x.shape[1] as number, heads, units]).transpose([1, 0, 2]);
}

/** tfjs' Adam (epsilon added to the debiased second moment), with a per-head rate; `keep` 0 leaves a head as it was. */
function adam(p: Parameter, gradient: tf.Tensor, step: { rate: tf.Tensor; debias1: tf.Tensor; debias2: tf.Tensor }, keep: tf.Tensor | undefined): Pick<Parameter, 'value' | 'm' | 'v'> {
  let m = p.m.mul(ADAM_BETA1).add(gradient.mul(1 - ADAM_BETA1));
  let v = p.v.mul(ADAM_BETA2).add(gradient.square().mul(1 - ADAM_BETA2));
  if (keep) [m, v] = [p.m.add(m.sub(p.m).mul(keep)), p.v.add(v.sub(p.v).mul(keep))];
  return { value: p.value.sub(m.mul(step.debias1).div(v.mul(step.debias2).sqrt().add(ADAM_EPSILON)).mul(step.rate)), m, v };
}
