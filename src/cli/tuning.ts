// `lr-find` and `search`: host requests that train many short times and answer with a choice; Ctrl+C stops them.
import type { LrFindResult } from '../protocol/host';
import { Requests } from '../protocol/host';
import type { TrainingHost } from '../host/client';

/** Ctrl+C sends run/stop: the host ends the sweep or search between steps and the request fails "stopped". */
export async function stoppable<T>(host: TrainingHost, request: Promise<T>): Promise<T> {
  const onInterrupt = () => void host.connection.sendRequest(Requests.stop).catch(() => undefined);
  process.on('SIGINT', onInterrupt);
  try {
    return await host.guard(request);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

export const formatRate = (rate: number) => rate.toExponential(1);

/** The sweep as a few lines: every tenth rate with its smoothed loss, and the suggestion. */
export function lrFindText(result: LrFindResult): string[] {
  const rows = result.rates.flatMap((rate, i) => (i % 10 === 0 || i === result.rates.length - 1 ? [`  ${formatRate(rate).padStart(8)}  ${result.smoothed[i].toFixed(4)}`] : []));
  return [
    `phase "${result.phase}": ${result.rates.length} steps from ${formatRate(result.rates[0])} to ${formatRate(result.rates.at(-1)!)} in ${result.sweepSeconds.toFixed(1)} s (one epoch is ${result.stepsPerEpoch} steps)`,
    '      rate  smoothed loss',
    ...rows,
    `suggested learning rate: ${formatRate(result.suggestion)} (steepest fall of the smoothed loss)`,
  ];
}
