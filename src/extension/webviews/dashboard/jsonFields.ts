// Defensive readers for JSON written by the engine (or edited by hand): wrong types become "missing", never throw.
import { promises as fs } from 'node:fs';

export const metricOf = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const countOf = (v: unknown) => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : 0);
export const textOf = (v: unknown, max = 500) => (typeof v === 'string' ? v.slice(0, max) : undefined);

export async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return undefined; // missing or torn: the caller shows what it has
  }
}
