// Picks the fastest TensorFlow.js engine that loads here and says which one it is, once per process.
import * as tf from '@tensorflow/tfjs';
import type { EngineChoice } from '../../protocol/experiment';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from './wasmGradients';
import { loopsFor } from './wasmKernelCalls';

export interface EngineInfo {
  /** What the user chose or "auto" resolved to. */
  name: 'tfjs-node' | 'wasm' | 'cpu';
  /** tfjs backend name in use. */
  backend: string;
  /** One line for logs and run records: what runs where. */
  detail: string;
}

export class EngineError extends Error {}

let selected: EngineInfo | undefined;

async function tryTfjsNode(): Promise<EngineInfo | undefined> {
  try {
    // A variable module name keeps bundlers from resolving the optional native addon.
    const moduleName = '@tensorflow/tfjs-node';
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional native addon, loaded only if installed
    require(moduleName);
  } catch {
    return undefined;
  }
  await tf.setBackend('tensorflow');
  return { name: 'tfjs-node', backend: 'tensorflow', detail: 'tfjs-node (libtensorflow, native CPU kernels) for forward and training' };
}

async function tryWasm(): Promise<EngineInfo | undefined> {
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) return undefined;
  const added = registerWasmGradientKernels();
  const { kind, fallback } = loopsFor(tf.backend() as BackendWasm);
  const loops = kind === 'simd' ? 'SIMD loops' : `JS loops: ${fallback}`;
  const kernels = added.length > 0 ? `; Transfer Lab kernels (${loops}) for ${added.join(', ')}` : '';
  return { name: 'wasm', backend: 'wasm', detail: `wasm (XNNPACK) for forward and training${kernels}` };
}

async function useCpu(): Promise<EngineInfo> {
  await tf.setBackend('cpu');
  return { name: 'cpu', backend: 'cpu', detail: 'cpu (pure JavaScript; slow — install tfjs-node or use wasm)' };
}

/** Selects the engine for this process; later calls return the first choice (tfjs has one global backend). */
export async function selectEngine(choice: EngineChoice = 'auto'): Promise<EngineInfo> {
  if (selected) return selected;
  if (choice === 'tfjs-node') {
    const node = await tryTfjsNode();
    if (!node) {
      throw new EngineError(
        'engine "tfjs-node" is not installed: run `npm install @tensorflow/tfjs-node` on a machine that can download ' +
          'libtensorflow, or set "engine" to "auto" or "wasm".',
      );
    }
    selected = node;
  } else if (choice === 'wasm') {
    selected = await tryWasm();
    if (!selected) throw new EngineError('engine "wasm" failed to initialise: set "engine" to "auto" or "cpu".');
  } else if (choice === 'cpu') {
    selected = await useCpu();
  } else {
    selected = (await tryTfjsNode()) ?? (await tryWasm()) ?? (await useCpu());
  }
  await tf.ready();
  return selected;
}
