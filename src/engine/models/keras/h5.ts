// h5wasm is ESM-only and initialises its WebAssembly asynchronously: one shared, lazily imported instance.
import type * as H5 from 'h5wasm/node' with { 'resolution-mode': 'import' };
import { access } from 'node:fs/promises';
import { ModelError } from '../errors';

export type H5Module = typeof H5;
export type H5Group = H5.Group;

let loading: Promise<H5Module> | undefined;

export function h5wasm(): Promise<H5Module> {
  loading ??= import('h5wasm/node').then(async (module) => {
    await module.ready;
    return module;
  });
  return loading;
}

/** Opens `file` (a host path: h5wasm's Node build reads the real file system), runs `work`, always closes. */
export async function withH5File<T>(file: string, mode: 'r' | 'w', work: (root: H5.File, h5: H5Module) => T | Promise<T>): Promise<T> {
  // HDF5 "opens" a missing file into an invalid handle whose first use fails obscurely: check first.
  if (mode === 'r') await access(file).catch(() => Promise.reject(new ModelError('not found', file, 'Check the path')));
  const h5 = await h5wasm();
  let root: H5.File;
  try {
    root = new h5.File(file, mode);
  } catch (error) {
    throw new ModelError(`cannot be opened as HDF5 (${(error as Error).message})`, file, 'Use a Keras .h5 file (or a .keras archive)', { cause: error });
  }
  try {
    return await work(root, h5);
  } catch (error) {
    // a damaged file opens into a handle whose reads fail with h5wasm's bare "error - name not defined!"
    if (mode === 'r' && !(error instanceof ModelError)) {
      throw new ModelError(`is not a readable HDF5 file (h5wasm: ${(error as Error).message}); it may be truncated, or not a Keras model`, file, 'Save the model again (Keras: model.save("model.h5")) or download it again', { cause: error });
    }
    throw error;
  } finally {
    root.close();
  }
}

export function isGroup(entity: unknown, h5: H5Module): entity is H5.Group {
  return entity instanceof h5.Group;
}

export function isDataset(entity: unknown, h5: H5Module): entity is H5.Dataset {
  return entity instanceof h5.Dataset;
}

/** A string-list attribute; Keras splits long ones into `name0`, `name1`, … (HDF5's 64 KB header limit). */
export function stringListAttr(group: H5.Group, name: string): string[] | undefined {
  const attrs = group.attrs;
  const whole = attrs[name];
  if (whole) return toStrings(whole.value);
  const chunks: string[] = [];
  for (let i = 0; attrs[`${name}${i}`]; i++) chunks.push(...toStrings(attrs[`${name}${i}`].value));
  return chunks.length > 0 ? chunks : undefined;
}

export function stringAttr(group: H5.Group, name: string): string | undefined {
  const value = group.attrs[name]?.value;
  return value === undefined || value === null ? undefined : toStrings(value)[0];
}

function toStrings(value: unknown): string[] {
  const decode = (v: unknown) => (v instanceof Uint8Array ? new TextDecoder().decode(v).replace(/\0+$/, '') : String(v));
  return Array.isArray(value) ? value.map(decode) : [decode(value)];
}
