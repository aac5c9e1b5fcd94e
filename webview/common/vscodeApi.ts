// The webview's end of the channel: acquireVsCodeApi once, validate every inbound message, typed posts, saved state.
import { parse, type Schema } from '../../src/protocol/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi(); // may be called only once per page

/** Listens for messages that pass `inbound`, then says ready (the extension answers with the current state). */
export function connect<In, Out extends { type: string }>(inbound: Schema<In>, onMessage: (message: In) => void): (message: Out) => void {
  window.addEventListener('message', (event: MessageEvent) => {
    const message = parse(inbound, event.data, (reason) => console.warn(`Transfer Lab: rejected a message (${reason})`));
    if (message) onMessage(message);
  });
  const post = (message: Out) => api.postMessage(message);
  api.postMessage({ type: 'ready' });
  return post;
}

/** UI state that survives the webview being hidden or reloaded; `restoreKey` tells the extension what to reopen. */
export interface SavedState<U> { restoreKey?: string; ui: U }

export function loadState<U extends object>(defaults: U): SavedState<U> {
  const saved = api.getState() as Partial<SavedState<Partial<U>>> | undefined;
  const restoreKey = typeof saved?.restoreKey === 'string' ? saved.restoreKey : undefined;
  // saved UI fields are used only where their type matches the default's
  const ui = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof U)[]) {
    const value = saved?.ui?.[key];
    if (value !== undefined && typeof value === typeof defaults[key] && Array.isArray(value) === Array.isArray(defaults[key])) ui[key] = value as U[keyof U];
  }
  return { restoreKey, ui };
}

export function saveState<U>(state: SavedState<U>): void {
  api.setState(state);
}
