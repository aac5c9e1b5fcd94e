// Runs async tasks one at a time per key (e.g. per file), so read-modify-write steps in this process never interleave.
import { resolve } from 'node:path';

const tails = new Map<string, Promise<unknown>>();

/** Queues the task after every earlier task for the same path; a failed task does not block the ones after it. */
export function serializedByPath<T>(path: string, task: () => Promise<T>): Promise<T> {
  const key = resolve(path);
  const run = (tails.get(key) ?? Promise.resolve()).catch(() => undefined).then(task);
  tails.set(key, run);
  const forget = () => {
    if (tails.get(key) === run) tails.delete(key);
  };
  run.then(forget, forget);
  return run;
}
