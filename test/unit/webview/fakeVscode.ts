// Just enough of the `vscode` module to run the webview sessions in node: Uri, events, notifications, a webview.
import Module from 'node:module';
import { pathToFileURL } from 'node:url';

export class EventEmitter<T> {
  private listeners: ((value: T) => void)[] = [];
  readonly event = (listener: (value: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(value: T): void {
    [...this.listeners].forEach((l) => l(value));
  }
}

export class Uri {
  private constructor(readonly scheme: string, readonly path: string) {}
  static file(path: string): Uri { return new Uri('file', path); }
  static parse(value: string): Uri { const url = new URL(value); return new Uri(url.protocol.slice(0, -1), decodeURIComponent(url.pathname)); }
  static joinPath(base: Uri, ...parts: string[]): Uri { return new Uri(base.scheme, [base.path, ...parts].join('/')); }
  get fsPath(): string { return this.path; }
  toString(): string { return `${this.scheme}://${this.path}`; }
}

export const notices: string[] = [];
/** What exports wrote: the save dialog accepts its default file, whose path keys the bytes. */
export const savedFiles = new Map<string, Uint8Array>();
/** Commands the extension ran, with their arguments. */
export const executed: unknown[][] = [];
export const fakeVscode = {
  Uri, EventEmitter, ViewColumn: { Active: -1 },
  commands: { executeCommand: async (...args: unknown[]) => void executed.push(args) },
  window: {
    showErrorMessage: (m: string) => notices.push(`error: ${m}`), showInformationMessage: (m: string) => notices.push(`info: ${m}`),
    showSaveDialog: async (options: { defaultUri: Uri }) => options.defaultUri,
  },
  workspace: { asRelativePath: (uri: Uri) => uri.path.split('/').pop(), fs: { writeFile: async (uri: Uri, bytes: Uint8Array) => void savedFiles.set(uri.fsPath, bytes) } },
};

/** `require('vscode')` returns the fake from now on (the real module exists only inside VS Code). */
export function installFakeVscode(): void {
  const modules = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
  const load = modules._load;
  modules._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? fakeVscode : load.call(this, request, ...rest);
  };
}

/** A webview that records what the extension posts and lets a test send messages as the page would. */
export class FakeWebview {
  readonly posted: { type: string; [key: string]: unknown }[] = [];
  readonly cspSource = 'https://webview.test';
  private readonly inbound = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.inbound.event;
  options = {};
  html = '';
  postMessage(message: { type: string }): Promise<boolean> {
    this.posted.push(structuredClone(message));
    return Promise.resolve(true);
  }
  asWebviewUri(uri: Uri): { toString(): string } { return { toString: () => `${this.cspSource}${pathToFileURL(uri.path).pathname}` }; }
  /** Sends as the page would; with `replies`, waits until that many more messages were posted back. */
  async send(message: unknown, replies = 0): Promise<void> {
    const expected = this.posted.length + replies;
    this.inbound.fire(message);
    await until(() => this.posted.length >= expected);
  }
}

/** Resolves once `done()` holds (checked every few ms), or fails after `timeoutMs`: no fixed sleeps. */
export async function until(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the session');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
