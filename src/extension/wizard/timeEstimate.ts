// How long the first pass over a dataset takes on this machine: the catalog's forward cost of the base, scaled by the
// image size and divided by the host's measured speed. Later epochs read cached features, so this is the part that
// grows with the base and the size. No vscode import: unit-tested.
import type { MachineSpeed } from '../../protocol/host';

/** Decoding and resizing one photo (sharp), in the same matmul units; measured by scripts/forwardCosts.ts --decode. */
export const DECODE_COST = 0.119;
const COST_SIZE = 224;

export interface FirstPass {
  images: number;
  inputSize: number;
  /** The catalog entry's forwardCost. */
  forwardCost: number;
}

/** Seconds to decode every image and run the frozen base on it once, on `speed.threads` threads. */
export function firstPassSeconds({ images, inputSize, forwardCost }: FirstPass, speed: MachineSpeed): number {
  const perImage = forwardCost * (inputSize / COST_SIZE) ** 2 + DECODE_COST;
  return (images * perImage) / (speed.gflops * Math.max(1, speed.threads));
}

/** "≈ 40 s", "≈ 3 min", "≈ 1.5 h": two figures at most, since the estimate is no better than that. */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return '< 1 s';
  if (seconds < 10) return `≈ ${Math.round(seconds)} s`;
  if (seconds < 60) return `≈ ${Math.round(seconds / 5) * 5} s`;
  const minutes = seconds / 60;
  if (minutes < 10) return `≈ ${Number(minutes.toFixed(1))} min`;
  if (minutes < 60) return `≈ ${Math.round(minutes)} min`;
  const hours = minutes / 60;
  return `≈ ${Number(hours.toFixed(hours < 10 ? 1 : 0))} h`;
}

/** "≈ 40 s on this machine", or undefined when the host did not say how fast it is. */
export function firstPassText(pass: FirstPass, speed: MachineSpeed | undefined): string | undefined {
  return speed ? `${formatDuration(firstPassSeconds(pass, speed))} on this machine` : undefined;
}
