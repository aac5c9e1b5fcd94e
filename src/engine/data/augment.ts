// Random training-time distortions in the spirit of Keras' RandomFlip/Rotation/Zoom/Brightness/Contrast layers,
// in plain JS on HWC RGB bytes so they cost the same on every tfjs backend.
import type { Rng } from '../random';

export interface AugmentSpec {
  /** Mirror left-right with probability 1/2. */
  flip?: boolean;
  /** Rotate by a uniform angle in ±rotationDeg degrees. */
  rotationDeg?: number;
  /** Scale by a uniform factor in 1 ± zoom (0.1 = ±10%); above 1 zooms in. */
  zoom?: number;
  /** Shift all values by a uniform ±brightness fraction of 255. */
  brightness?: number;
  /** Stretch values around each channel's mean by a uniform factor in 1 ± contrast. */
  contrast?: number;
}

export function isAugmentActive(spec: AugmentSpec): boolean {
  return Boolean(spec.flip || spec.rotationDeg || spec.zoom || spec.brightness || spec.contrast);
}

function symmetric(rng: Rng, range: number | undefined): number {
  return range ? (rng() * 2 - 1) * Math.abs(range) : 0;
}

/** Returns a new size*size*3 array; the input is left untouched. */
export function augmentImage(pixels: Uint8Array, size: number, spec: AugmentSpec, rng: Rng): Uint8Array {
  if (!isAugmentActive(spec)) return pixels.slice();
  // Every parameter is drawn up front in a fixed order, so one seed always means the same distortion.
  const flip = spec.flip ? rng() < 0.5 : false;
  const angle = (symmetric(rng, spec.rotationDeg) * Math.PI) / 180;
  const scale = 1 + symmetric(rng, spec.zoom);
  const shift = symmetric(rng, spec.brightness) * 255;
  const factor = 1 + symmetric(rng, spec.contrast);
  const moved = angle === 0 && scale === 1 ? (flip ? mirrored(pixels, size) : pixels) : warped(pixels, size, angle, scale, flip);
  if (shift === 0 && factor === 1) return moved === pixels ? pixels.slice() : toBytes(moved);
  return adjusted(moved, shift, factor);
}

function toBytes(values: Uint8Array | Float32Array): Uint8Array {
  if (values instanceof Uint8Array) return values;
  return new Uint8Array(Uint8ClampedArray.from(values).buffer);
}

function mirrored(pixels: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(pixels.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 3, to = (y * size + size - 1 - x) * 3;
      out[to] = pixels[from];
      out[to + 1] = pixels[from + 1];
      out[to + 2] = pixels[from + 2];
    }
  }
  return out;
}

/** Keras' 'reflect' fill (d c b a | a b c d | d c b a): no black corners after rotating or zooming out. */
function reflect(i: number, n: number): number {
  if (i >= 0 && i < n) return i;
  const m = ((i % (2 * n)) + 2 * n) % (2 * n);
  return m < n ? m : 2 * n - 1 - m;
}

/** Flip, rotation and zoom as one inverse affine map about the centre, sampled bilinearly. */
function warped(pixels: Uint8Array, size: number, angle: number, scale: number, flip: boolean): Float32Array {
  const out = new Float32Array(pixels.length);
  const c = (size - 1) / 2;
  const cos = Math.cos(angle) / scale, sin = Math.sin(angle) / scale;
  const mirror = flip ? -1 : 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = mirror * (x - c), dy = y - c;
      const sx = c + cos * dx + sin * dy, sy = c - sin * dx + cos * dy;
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const fx = sx - x0, fy = sy - y0;
      const left = reflect(x0, size), right = reflect(x0 + 1, size);
      const top = reflect(y0, size) * size, bottom = reflect(y0 + 1, size) * size;
      const a = (top + left) * 3, b = (top + right) * 3, d = (bottom + left) * 3, e = (bottom + right) * 3;
      const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
      const o = (y * size + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        out[o + ch] = pixels[a + ch] * w00 + pixels[b + ch] * w01 + pixels[d + ch] * w10 + pixels[e + ch] * w11;
      }
    }
  }
  return out;
}

/** Contrast around each channel's mean, then a brightness shift; clamped and rounded to bytes. */
function adjusted(values: Uint8Array | Float32Array, shift: number, factor: number): Uint8Array {
  const means = [0, 0, 0];
  for (let i = 0; i < values.length; i += 3) {
    means[0] += values[i];
    means[1] += values[i + 1];
    means[2] += values[i + 2];
  }
  const count = values.length / 3;
  const offsets = means.map((sum) => (sum / count) * (1 - factor) + shift);
  const out = new Uint8ClampedArray(values.length);
  for (let i = 0; i < values.length; i += 3) {
    out[i] = values[i] * factor + offsets[0];
    out[i + 1] = values[i + 1] * factor + offsets[1];
    out[i + 2] = values[i + 2] * factor + offsets[2];
  }
  return new Uint8Array(out.buffer);
}
