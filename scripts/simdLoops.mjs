// Assembles the SIMD loops of the wasm gradient kernels (src/engine/backend/simd/loops.wat) into dist/, where the
// training host and the source tree's tests both load them. wabt is a build-time tool only.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import initWabt from 'wabt';

export async function writeSimdLoops(source, target) {
  const wabt = await initWabt();
  const parsed = wabt.parseWat(source, readFileSync(source, 'utf8'));
  try {
    parsed.validate();
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}
