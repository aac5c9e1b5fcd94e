// Live training events → dashboard messages. No vscode import.
import { resolve } from 'node:path';
import type { RunStateMessage } from '../../../protocol/host';
import type { RunStateView, ToDashboardWebview } from '../../../protocol/webview';
import type { RunEvent } from '../services';
import { textOf } from './jsonFields';
import { batchPointOf, epochPointOf } from './runFolderSnapshot';

export const isEventForRun = (event: RunEvent, runDir: string) => resolve(event.data.runDir) === resolve(runDir);

export function stateView(s: RunStateMessage): RunStateView {
  const view: RunStateView = { state: s.state };
  const fields = { phase: textOf(s.phase), epoch: Number.isInteger(s.epoch) ? s.epoch : undefined, engine: textOf(s.engine?.detail, 2000), preprocessing: textOf(s.preprocessing, 2000), message: textOf(s.message, 2000) };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.assign(view, { [key]: value });
  return view;
}

export function runEventMessage(event: RunEvent): ToDashboardWebview {
  if (event.kind === 'batch') return { type: 'run/batch', point: batchPointOf(event.data as unknown as Record<string, unknown>) };
  if (event.kind === 'epoch') return { type: 'run/epoch', point: epochPointOf(event.data as unknown as Record<string, unknown>) };
  return { type: 'run/state', state: stateView(event.data) };
}
