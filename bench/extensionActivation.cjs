// Child process of the activation figure: loads dist/extension.js against a stub `vscode` module and times
// require + activate(). Prints one JSON line. Run fresh each time, as VS Code's extension host would load it.
const Module = require('node:module');
const { join } = require('node:path');
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');

/** Callable, constructible, every property another stub, not a thenable: stands in for any API not modelled below. */
function anything() {
  const target = function () {};
  return new Proxy(target, {
    get: (t, key) => {
      if (key === 'then') return undefined;
      if (key === Symbol.iterator) return function* () {};
      if (key === Symbol.toPrimitive) return () => 0;
      if (!(key in t)) t[key] = anything();
      return t[key];
    },
    set: (t, key, value) => ((t[key] = value), true),
    apply: () => anything(),
    construct: () => anything(),
  });
}

const disposable = () => ({ dispose() {} });

/** A prototype that answers any name: esbuild's __toESM copies the module's own keys onto an object created from
 * the module's prototype, so API names not modelled here (minified or not) still resolve to a stub. */
function anyNameProxy() {
  return new Proxy({}, { get: (t, key) => (key === 'then' ? undefined : (t[key] ??= anything())) });
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (listener) => (this.listeners.add(listener), { dispose: () => this.listeners.delete(listener) });
  }
  fire(value) { for (const listener of this.listeners) listener(value); }
  dispose() { this.listeners.clear(); }
}

const uri = (path) => ({ scheme: 'file', fsPath: path, path, with: (change) => uri(change.path ?? path), toString: () => `file://${path}` });
const workspaceDir = mkdtempSync(join(tmpdir(), 'tl-activation-'));

const vscode = Object.assign(Object.create(anyNameProxy()), {
  EventEmitter,
  Disposable: Object.assign(function Disposable(fn) { return { dispose: fn }; }, { from: (...items) => ({ dispose: () => items.forEach((d) => d.dispose?.()) }) }),
  Uri: { file: uri, parse: (s) => uri(s.replace(/^file:\/\//, '')), joinPath: (base, ...parts) => uri(join(base.fsPath, ...parts)) },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  workspace: new Proxy({
    workspaceFolders: [{ uri: uri(workspaceDir), name: 'bench', index: 0 }],
    isTrusted: true,
    getConfiguration: () => ({ get: (_key, fallback) => fallback, has: () => false, inspect: () => undefined, update: async () => undefined }),
    findFiles: async () => [],
    createFileSystemWatcher: () => ({ onDidCreate: disposable, onDidChange: disposable, onDidDelete: disposable, dispose() {} }),
  }, { get: (t, key) => (key in t ? t[key] : anything()) }),
  window: new Proxy({
    createOutputChannel: () => ({ name: 'Transfer Lab', info() {}, warn() {}, error() {}, debug() {}, trace() {}, append() {}, appendLine() {}, show() {}, dispose() {} }),
  }, { get: (t, key) => (key in t ? t[key] : anything()) }),
});

const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

const root = join(__dirname, '..');
const bundle = join(root, 'dist', 'extension.js');
const memento = () => { const m = new Map(); return { get: (k, d) => (m.has(k) ? m.get(k) : d), update: async (k, v) => void m.set(k, v), keys: () => [...m.keys()] }; };
const context = new Proxy({
  subscriptions: [],
  extensionPath: root,
  extensionUri: uri(root),
  globalState: Object.assign(memento(), { setKeysForSync() {} }),
  workspaceState: memento(),
  globalStorageUri: uri(join(workspaceDir, 'global')),
  storageUri: uri(join(workspaceDir, 'storage')),
  logUri: uri(join(workspaceDir, 'log')),
  extensionMode: 1,
  asAbsolutePath: (p) => join(root, p),
}, { get: (t, key) => (key in t ? t[key] : anything()) });

const started = performance.now();
const extension = require(bundle);
const loaded = performance.now();
// A promise around the call turns a synchronous throw into the error line below.
new Promise((resolve) => resolve(extension.activate(context))).then(() => {
  const activated = performance.now();
  const tfjsLoaded = Object.keys(require.cache).some((file) => file.includes('@tensorflow'));
  process.stdout.write(`${JSON.stringify({ requireMs: loaded - started, activateMs: activated - loaded, subscriptions: context.subscriptions.length, tfjsLoaded })}\n`);
  process.exit(0);
}, (error) => {
  process.stdout.write(`${JSON.stringify({ error: String(error && error.stack || error) })}\n`);
  process.exit(0);
});
