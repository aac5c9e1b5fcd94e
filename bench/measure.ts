// Timing helpers: medians of repeated runs, and the machine's load so a noisy measurement can be recognised.
import { loadavg } from 'node:os';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function seconds(work: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

/** Runs each measurement in turn, `rounds` times, so load from other jobs hits all of them alike; returns medians. */
export async function interleaved<K extends string>(rounds: number, runs: Record<K, () => Promise<unknown>>): Promise<Record<K, { median: number; all: number[] }>> {
  const all = Object.fromEntries(Object.keys(runs).map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const key of Object.keys(runs) as K[]) all[key].push(await seconds(runs[key]));
  }
  return Object.fromEntries(Object.entries<number[]>(all).map(([k, v]) => [k, { median: median(v), all: v }])) as Record<K, { median: number; all: number[] }>;
}

/** 1-minute load average: near the core count means other jobs were competing for the CPU. */
export function load(): number {
  return Number(loadavg()[0].toFixed(2));
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)} load ${load()}] ${message}\n`);
}
