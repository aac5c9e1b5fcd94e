// Ctrl+C in a terminal is Stop, not a crash: the first asks the host to stop its work (the command then ends as
// cancelled, exit 130), a second kills the host at once.
import { Requests } from '../protocol/host';
import type { TrainingHost } from '../host/client';
import type { Output } from './session';

export interface Interrupts {
  /** How many times Ctrl+C was pressed so far. */
  readonly count: number;
  dispose(): void;
}

/** Installs the handler until `dispose`; `stopping` is what the first Ctrl+C says, e.g. "stopping after this batch". */
export function handleInterrupts(host: TrainingHost, output: Output, stopping: string): Interrupts {
  let count = 0;
  const onInterrupt = () => {
    count += 1;
    output.warn(count === 1 ? `\n${stopping} (Ctrl+C again to abort at once)…` : '\naborting: killing the training host');
    if (count === 1) void host.connection.sendRequest(Requests.stop).catch(() => undefined);
    else void host.dispose(0);
  };
  process.on('SIGINT', onInterrupt);
  return {
    get count() {
      return count;
    },
    dispose: () => void process.off('SIGINT', onInterrupt),
  };
}

/** The work ended because of Ctrl+C: the command says so and exits 130, as a cancelled run does. */
export class Cancelled extends Error {}

/** `request` answered, with Ctrl+C handled as above meanwhile; the failure the stop causes becomes `Cancelled` ("check cancelled"). */
export async function withInterrupts<T>(host: TrainingHost, output: Output, work: string, request: Promise<T>): Promise<T> {
  const interrupts = handleInterrupts(host, output, `stopping the ${work}`);
  try {
    return await host.guard(request);
  } catch (error) {
    throw interrupts.count > 0 ? new Cancelled(`${work} cancelled`) : error;
  } finally {
    interrupts.dispose();
  }
}
