// One training host per window: started lazily on the first request, its notifications re-emitted as events,
// a crash marks the active run "crashed" and is reported once — the host is never restarted behind the user's back.
import { setTimeout as delay } from 'node:timers/promises';
import { ErrorCodes, ResponseError, type MessageConnection } from 'vscode-jsonrpc';
import { HostCrashedError } from '../../host/client';
import {
  Notifications, type BatchMetrics, type EpochMetrics, type LogMessage, type ProgressMessage, type RunStateMessage,
} from '../../protocol/host';
import { Emitter } from '../util/emitter';

/** What the supervisor needs of a started host (TrainingHost, or a fake in tests). */
export interface SupervisedHost {
  readonly connection: Pick<MessageConnection, 'onNotification' | 'sendRequest'>;
  /** Resolves on a requested or clean exit, rejects with HostCrashedError otherwise. */
  readonly exited: Promise<void>;
  dispose(graceMs?: number): Promise<void>;
}

/** How jsonrpc fails pending requests when the process goes away; the process's exit then says why. */
const CONNECTION_LOST: readonly number[] = [ErrorCodes.MessageWriteError, ErrorCodes.PendingResponseRejected, ErrorCodes.ConnectionInactive];
const EXIT_WAIT_MS = 5000;

export type HostState = 'idle' | 'starting' | 'ready' | 'crashed' | 'disposed';

export interface HostCrash {
  error: HostCrashedError;
  /** The run that was training when the host died, now marked "crashed". */
  runDir?: string;
}

export type MarkCrashed = (runDir: string, message: string) => Promise<unknown>;

export class HostSupervisor {
  private host: Promise<SupervisedHost> | undefined;
  private activeRun: string | undefined;
  private pending = 0;
  private current: HostState = 'idle';

  private readonly stateEmitter = new Emitter<HostState>();
  private readonly crashEmitter = new Emitter<HostCrash>();
  private readonly logEmitter = new Emitter<LogMessage>();
  private readonly progressEmitter = new Emitter<ProgressMessage>();
  private readonly runStateEmitter = new Emitter<RunStateMessage>();
  private readonly batchEmitter = new Emitter<BatchMetrics>();
  private readonly epochEmitter = new Emitter<EpochMetrics>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onCrash = this.crashEmitter.event;
  readonly onLog = this.logEmitter.event;
  readonly onProgress = this.progressEmitter.event;
  readonly onRunState = this.runStateEmitter.event;
  readonly onBatch = this.batchEmitter.event;
  readonly onEpoch = this.epochEmitter.event;

  constructor(private readonly startHost: () => Promise<SupervisedHost>, private readonly markCrashed: MarkCrashed) {}

  get state(): HostState {
    return this.current;
  }

  /** True while a request (a training run included) is waiting for the host. */
  get busy(): boolean {
    return this.pending > 0;
  }

  /** Sends a request, starting the host first if needed; rejects with HostCrashedError if the host dies meanwhile. */
  async call<R>(request: (connection: SupervisedHost['connection']) => Promise<R>): Promise<R> {
    if (this.current === 'disposed') throw new Error('Transfer Lab is shutting down');
    this.pending += 1;
    try {
      return await this.send(await this.ensureHost(), request);
    } finally {
      this.pending -= 1;
    }
  }

  /** The run the host is training, if any (its events come from the host, not from its files). */
  get trainingRun(): string | undefined {
    return this.activeRun;
  }

  /** The run the host is training; set before a resume so a crash during set-up still marks it. */
  trackRun(runDir: string | undefined): void {
    this.activeRun = runDir;
  }

  /** Stops an idle host so the next request starts one with new settings; a busy host is left alone. */
  async stopIfIdle(): Promise<void> {
    if (this.busy || !this.host) return;
    const host = this.host;
    this.host = undefined;
    this.setState('idle');
    await (await host.catch(() => undefined))?.dispose();
  }

  async dispose(graceMs = 3000): Promise<void> {
    const host = this.host;
    this.host = undefined;
    this.setState('disposed');
    await (await host?.catch(() => undefined))?.dispose(graceMs);
    for (const emitter of [this.stateEmitter, this.crashEmitter, this.logEmitter, this.progressEmitter, this.runStateEmitter, this.batchEmitter, this.epochEmitter]) emitter.dispose();
  }

  private async send<R>(host: SupervisedHost, request: (connection: SupervisedHost['connection']) => Promise<R>): Promise<R> {
    const ended = host.exited.then(() => Promise.reject(new Error('the training host stopped before answering')));
    try {
      return await Promise.race([request(host.connection), ended]);
    } catch (error) {
      // a crash should reject with HostCrashedError (exit code, last stderr lines), not with "connection disposed"
      if (error instanceof ResponseError && CONNECTION_LOST.includes(error.code)) await Promise.race([host.exited, delay(EXIT_WAIT_MS, undefined, { ref: false })]);
      throw error;
    }
  }

  private ensureHost(): Promise<SupervisedHost> {
    if (this.host) return this.host;
    this.setState('starting');
    const starting: Promise<SupervisedHost> = this.startHost().then((host) => this.adopt(host, starting));
    // a host that never became ready is not a crash of a run: the caller reports the error, the next call retries
    starting.catch(() => this.forget(starting, 'idle'));
    this.host = starting;
    return starting;
  }

  private adopt(host: SupervisedHost, started: Promise<SupervisedHost>): SupervisedHost {
    const { connection } = host;
    connection.onNotification(Notifications.log, (m) => this.logEmitter.fire(m));
    connection.onNotification(Notifications.progress, (m) => this.progressEmitter.fire(m));
    connection.onNotification(Notifications.batch, (m) => this.batchEmitter.fire(m));
    connection.onNotification(Notifications.epoch, (m) => this.epochEmitter.fire(m));
    connection.onNotification(Notifications.runState, (m) => {
      if (m.state === 'running') this.activeRun = m.runDir;
      else if (m.runDir === this.activeRun) this.activeRun = undefined;
      this.runStateEmitter.fire(m);
    });
    host.exited.then(
      () => this.forget(started, 'idle'),
      (error: unknown) => {
        if (this.forget(started, 'crashed')) void this.reportCrash(error);
      },
    );
    this.setState('ready');
    return host;
  }

  /** Drops the host if it is still the current one; false when it was replaced or disposed already. */
  private forget(host: Promise<SupervisedHost>, state: HostState): boolean {
    if (this.host !== host) return false;
    this.host = undefined;
    this.setState(state);
    return true;
  }

  private async reportCrash(error: unknown): Promise<void> {
    const crash = error instanceof HostCrashedError ? error : new HostCrashedError(null, null, [String(error)]);
    const runDir = this.activeRun;
    this.activeRun = undefined;
    // the run's own folder must say what happened even if nobody is watching the window
    if (runDir) await this.markCrashed(runDir, crash.message).catch(() => undefined);
    this.crashEmitter.fire({ error: crash, runDir });
  }

  private setState(state: HostState): void {
    if (this.current === state || this.current === 'disposed') return;
    this.current = state;
    this.stateEmitter.fire(state);
  }
}
