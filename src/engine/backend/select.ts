// Picks the fastest TensorFlow.js engine that loads here and says which one it is (and on which device), once per process.
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import type { EngineChoice, EngineName } from '../../protocol/experiment';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from './wasmGradients';
import { loopsFor } from './wasmKernelCalls';

export interface EngineInfo {
  /** What the user chose or "auto" resolved to. */
  name: EngineName;
  /** tfjs backend name in use. */
  backend: string;
  /** One line for logs and run records: what runs where. */
  detail: string;
}

export class EngineError extends Error {}

/** The first request's engine; kept as a promise so requests that arrive while it loads wait for it instead of racing. */
let selected: Promise<EngineInfo> | undefined;

/** Loads a native tfjs-node package (it registers the "tensorflow" backend); false when it is not installed. */
function loadsNative(moduleName: string): boolean {
  try {
    // The name arrives as a variable, which keeps bundlers from resolving the optional native addon.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional native addon, loaded only if installed
    require(moduleName);
    return true;
  } catch {
    return false;
  }
}

/** The GPUs the NVIDIA driver lists (what libtensorflow's CUDA build can use); none without a driver. */
export function nvidiaGpus(): string[] {
  try {
    return execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n').map((line) => line.trim()).filter(Boolean);
  } catch {
    return [];
  }
}

/** The device line for tfjs-node-gpu: the GPUs it trains on, or that it fell back to the CPU. */
export function gpuDetail(gpus: readonly string[]): string {
  const where = gpus.length > 0 ? `on GPU: ${gpus.join(', ')}` : 'on the CPU — no GPU visible (nvidia-smi lists none; check the NVIDIA driver, CUDA and cuDNN)';
  return `tfjs-node-gpu (libtensorflow with CUDA) ${where}, for forward and training`;
}

async function tryTfjsNodeGpu(): Promise<EngineInfo | undefined> {
  if (!loadsNative('@tensorflow/tfjs-node-gpu')) return undefined;
  await tf.setBackend('tensorflow');
  return { name: 'tfjs-node-gpu', backend: 'tensorflow', detail: gpuDetail(nvidiaGpus()) };
}

async function tryTfjsNode(): Promise<EngineInfo | undefined> {
  if (!loadsNative('@tensorflow/tfjs-node')) return undefined;
  await tf.setBackend('tensorflow');
  return { name: 'tfjs-node', backend: 'tensorflow', detail: 'tfjs-node (libtensorflow, native kernels) on the CPU, for forward and training' };
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

async function useCpu(): Promise<EngineInfo | undefined> {
  await tf.setBackend('cpu');
  return { name: 'cpu', backend: 'cpu', detail: 'cpu (pure JavaScript; slow — install tfjs-node or use wasm)' };
}

export type EngineLoaders = Record<EngineName, () => Promise<EngineInfo | undefined>>;

const LOADERS: EngineLoaders = { 'tfjs-node-gpu': tryTfjsNodeGpu, 'tfjs-node': tryTfjsNode, wasm: tryWasm, cpu: useCpu };

/** What auto tries, fastest first: the first that loads is used. */
export const AUTO_ORDER: readonly EngineName[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

/** Why a forced engine is unusable, and what to do. */
const MISSING: Record<EngineName, string> = {
  'tfjs-node-gpu': 'engine "tfjs-node-gpu" is not installed: on a machine with an NVIDIA GPU, CUDA and cuDNN, run `npm install @tensorflow/tfjs-node-gpu` '
    + 'where Transfer Lab runs (it downloads libtensorflow), or set "engine" to "auto".',
  'tfjs-node': 'engine "tfjs-node" is not installed: run `npm install @tensorflow/tfjs-node` on a machine that can download '
    + 'libtensorflow, or set "engine" to "auto" or "wasm".',
  wasm: 'engine "wasm" failed to initialise: set "engine" to "auto" or "cpu".',
  cpu: 'engine "cpu" failed to initialise.',
};

/** The chosen engine, or auto's first that loads; a forced engine that does not load is refused, not replaced. */
export async function pickEngine(choice: EngineChoice, loaders: EngineLoaders): Promise<EngineInfo> {
  if (choice !== 'auto') {
    const engine = await loaders[choice]();
    if (!engine) throw new EngineError(MISSING[choice]);
    return engine;
  }
  for (const name of AUTO_ORDER) {
    const engine = await loaders[name]();
    if (engine) return engine;
  }
  throw new EngineError(MISSING.cpu);
}

/** Selects the engine for this process; later calls return the first choice (tfjs has one global backend). */
export function selectEngine(choice: EngineChoice = 'auto'): Promise<EngineInfo> {
  selected ??= pickEngine(choice, LOADERS).then(async (engine) => (await tf.ready(), engine));
  selected.catch(() => (selected = undefined)); // a failed choice is not remembered: the next request may pick another
  return selected;
}
