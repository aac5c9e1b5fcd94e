// Measures the time from a metrics message to the chart frame that shows it, for the benchmark:
// `window.transferLabBench.median()` after posting metrics (see the harness's "live" scenario), and the
// performance entries named "transfer-lab:metrics-to-paint" in the webview's devtools.

import { median } from '../shared/stats';

const RECEIVED = 'transfer-lab:metrics-received';
const PAINTED = 'transfer-lab:chart-painted';
const MEASURE = 'transfer-lab:metrics-to-paint';

const samples: number[] = [];
let pendingSince: number | undefined;

/** A metrics message arrived; the oldest one not yet on screen sets the start time. */
export function noteReceived(): void {
  if (pendingSince !== undefined) return;
  pendingSince = performance.now();
  performance.mark(RECEIVED);
}

/** The charts were just redrawn; the frame after this one has been painted. */
export function noteDrawn(): void {
  if (pendingSince === undefined) return;
  const since = pendingSince;
  requestAnimationFrame(() => {
    performance.mark(PAINTED);
    performance.measure(MEASURE, RECEIVED, PAINTED);
    samples.push(performance.now() - since);
    pendingSince = undefined;
  });
}

export function installBenchHook(): void {
  Object.assign(window, {
    transferLabBench: { samples: () => [...samples], median: () => median(samples), reset: () => (samples.length = 0) },
  });
}
