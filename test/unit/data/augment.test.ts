import { test } from 'node:test';
import assert from 'node:assert/strict';
import { augmentImage, isAugmentActive, type AugmentSpec } from '../../../src/engine/data';
import { createRng } from '../../../src/engine/random';

function randomImage(size: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  return Uint8Array.from({ length: size * size * 3 }, () => Math.floor(rng() * 256));
}

/** Left-right mirror, written independently of the module under test. */
function mirror(pixels: Uint8Array, size: number): Uint8Array {
  const rows = Array.from({ length: size }, (_, y) => Array.from({ length: size }, (_, x) => pixels.subarray((y * size + x) * 3, (y * size + x) * 3 + 3)));
  return Uint8Array.from(rows.flatMap((row) => row.reverse().flatMap((p) => [...p])));
}

const FULL: AugmentSpec = { flip: true, rotationDeg: 20, zoom: 0.2, brightness: 0.2, contrast: 0.3 };

test('an empty spec is the identity, on a copy', () => {
  const image = randomImage(16, 1);
  for (const spec of [{}, { flip: false, rotationDeg: 0, zoom: 0, brightness: 0, contrast: 0 }]) {
    assert.equal(isAugmentActive(spec), false);
    const out = augmentImage(image, 16, spec, createRng(3));
    assert.deepEqual(out, image);
    assert.notEqual(out, image);
  }
  assert.equal(isAugmentActive({ zoom: 0.1 }), true);
});

test('flip mirrors exactly, about half the time', () => {
  const image = randomImage(16, 2);
  const mirrored = mirror(image, 16);
  let flips = 0;
  for (let seed = 0; seed < 40; seed++) {
    const out = augmentImage(image, 16, { flip: true }, createRng(seed));
    const flipped = Buffer.compare(out, mirrored) === 0;
    assert.ok(flipped || Buffer.compare(out, image) === 0, `seed ${seed}: neither the image nor its mirror`);
    flips += flipped ? 1 : 0;
  }
  assert.ok(flips > 8 && flips < 32, `${flips}/40 flipped`);
});

test('same seed, same result; values stay bytes; the input is untouched', () => {
  const image = randomImage(32, 3);
  const before = image.slice();
  const a = augmentImage(image, 32, FULL, createRng(5));
  assert.deepEqual(augmentImage(image, 32, FULL, createRng(5)), a);
  assert.notDeepEqual(augmentImage(image, 32, FULL, createRng(6)), a);
  assert.ok(a instanceof Uint8Array && a.length === image.length);
  assert.deepEqual(image, before);
});

test('rotation and zoom turn about the centre and fill borders by reflection (no black corners)', () => {
  const size = 9, centre = (4 * size + 4) * 3;
  const image = randomImage(size, 4);
  for (let seed = 0; seed < 10; seed++) {
    const out = augmentImage(image, size, { rotationDeg: 45, zoom: 0.3 }, createRng(seed));
    assert.deepEqual([...out.subarray(centre, centre + 3)], [...image.subarray(centre, centre + 3)]);
  }
  const flat = new Uint8Array(size * size * 3).fill(200);
  assert.deepEqual(augmentImage(flat, size, { rotationDeg: 45, zoom: 0.3 }, createRng(1)), flat);
});

test('brightness shifts every value by one amount; contrast keeps channel means', () => {
  const image = Uint8Array.from(randomImage(16, 5), (v) => 40 + (v % 170));
  const bright = augmentImage(image, 16, { brightness: 0.1 }, createRng(2));
  const shifts = new Set(bright.map((v, i) => v - image[i]));
  assert.equal(shifts.size, 1, 'one shift for all values');
  assert.ok(Math.abs([...shifts][0]) <= 26 && [...shifts][0] !== 0);
  const mean = (a: Uint8Array): number => a.reduce((s, v) => s + v, 0) / a.length;
  const contrasted = augmentImage(image, 16, { contrast: 0.5 }, createRng(2));
  assert.ok(Math.abs(mean(contrasted) - mean(image)) < 0.6);
  assert.notDeepEqual(contrasted, image);
  const clipped = augmentImage(new Uint8Array(16 * 16 * 3).fill(250), 16, { brightness: 0.5 }, createRng(4));
  assert.ok(clipped.every((v) => v === clipped[0]) && (clipped[0] === 255 || clipped[0] < 250), 'clamped to 0..255');
});
