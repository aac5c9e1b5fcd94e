// Starts and supervises one training host: ready handshake with timeout, crash → typed error with stderr, bounded kill.
import { fork, type ChildProcess } from 'node:child_process';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { PROTOCOL_VERSION, Requests, type HelloResult } from '../protocol/host';

export class HostCrashedError extends Error {
  constructor(readonly exitCode: number | null, readonly signal: NodeJS.Signals | null, readonly stderrTail: string[]) {
    const how = signal ? `was killed (${signal})` : `exited with code ${exitCode}`;
    super(`the training host ${how}${stderrTail.length ? `; last output:\n${stderrTail.join('\n')}` : ''}`);
    this.name = 'HostCrashedError';
  }
}

export interface HostOptions {
  /** Path of the built host bundle (dist/host.js). */
  script: string;
  engine?: string;
  readyTimeoutMs?: number;
  /** Extra environment, e.g. a memory limit via NODE_OPTIONS. */
  env?: NodeJS.ProcessEnv;
  /** Every line the host prints (tfjs banners, warnings) — for a log view. */
  onOutput?: (line: string) => void;
}

const STDERR_LINES = 40;

export class TrainingHost {
  readonly connection: MessageConnection;
  /** Settles once when the process ends; rejects with HostCrashedError unless we asked it to stop. */
  readonly exited: Promise<void>;
  private readonly stderrTail: string[] = [];
  private disposing = false;

  private constructor(private readonly child: ChildProcess, options: HostOptions) {
    this.connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const collect = (stream: NodeJS.ReadableStream | null, keep: boolean) =>
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        for (const line of chunk.split('\n').filter(Boolean)) {
          options.onOutput?.(line);
          if (!keep) continue;
          this.stderrTail.push(line);
          this.stderrTail.splice(0, Math.max(0, this.stderrTail.length - STDERR_LINES));
        }
      });
    collect(child.stdout, false);
    collect(child.stderr, true);
    this.exited = new Promise((resolve, reject) => {
      child.once('exit', (code, signal) => {
        this.connection.dispose();
        if (this.disposing || code === 0) resolve();
        else reject(new HostCrashedError(code, signal, this.stderrTail.slice()));
      });
    });
    this.exited.catch(() => undefined);
    this.connection.listen();
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  static async start(options: HostOptions): Promise<TrainingHost> {
    const child = fork(options.script, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ...options.env, ...(options.engine ? { TRANSFER_LAB_ENGINE: options.engine } : {}) },
    });
    const host = new TrainingHost(child, options);
    const timeout = options.readyTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const hello = await Promise.race([
        host.connection.sendRequest(Requests.hello),
        host.exited.then(() => Promise.reject(new HostCrashedError(child.exitCode, null, host.stderrTail))),
        new Promise<HelloResult>((_, reject) => (timer = setTimeout(() => reject(new Error(`the training host did not answer within ${timeout} ms`)), timeout))),
      ]);
      if (hello.protocolVersion !== PROTOCOL_VERSION) throw new Error(`training host speaks protocol ${hello.protocolVersion}, expected ${PROTOCOL_VERSION}: rebuild (npm run build)`);
      return host;
    } catch (error) {
      await host.dispose();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Makes a pending request fail with HostCrashedError, rather than hang, when the host dies meanwhile. */
  guard<R>(pending: Promise<R>): Promise<R> {
    // vscode-jsonrpc rejects pending requests as soon as the connection closes: prefer the crash's own error.
    const answered = pending.catch(async (error) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) await this.exited;
      throw error;
    });
    return Promise.race([answered, this.exited.then(() => Promise.reject(new Error('the training host stopped before answering')))]);
  }

  /** Asks the process to end, then kills it if it has not within `graceMs`. */
  async dispose(graceMs = 3000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.disposing = true;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited.catch(() => undefined);
    clearTimeout(timer);
  }
}
