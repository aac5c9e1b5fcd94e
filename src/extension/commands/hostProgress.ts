// A host job (search, lr-find, data check) under a cancellable notification that shows the host's progress; Cancel
// sends run/stop, which aborts the job in the host, so the request ends (rejected) soon after.
import * as vscode from 'vscode';
import { Requests } from '../../protocol/host';
import type { HostSupervisor } from '../host/supervisor';

export function withHostProgress<T>(supervisor: HostSupervisor, title: string, work: (token: vscode.CancellationToken) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const stop = token.onCancellationRequested(() => void supervisor.call((c) => c.sendRequest(Requests.stop)).catch(() => undefined));
    const shown = supervisor.onProgress((m) => progress.report({ message: m.total > 0 ? `${m.message}: ${m.done} of ${m.total}` : m.message }));
    try {
      return await work(token);
    } finally {
      stop.dispose();
      shown.dispose();
    }
  });
}
