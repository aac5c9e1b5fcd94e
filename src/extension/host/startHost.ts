// Starts the training host (dist/host.js, where TensorFlow.js runs) with the user's settings; its output goes to the log.
import * as vscode from 'vscode';
import { TrainingHost } from '../../host/client';
import { proxyEnv } from '../../shared/proxyEnv';
import { readHttpSettings, readSettings } from '../settings';

const READY_TIMEOUT_MS = 60_000;

export function startHost(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): () => Promise<TrainingHost> {
  return async () => {
    const settings = readSettings();
    const memory = settings.memoryLimitMb > 0 ? `--max-old-space-size=${settings.memoryLimitMb}` : '';
    log.info(`starting the training host (engine: ${settings.engine}${memory ? `, ${memory}` : ''})`);
    const host = await TrainingHost.start({
      script: context.asAbsolutePath('dist/host.js'),
      engine: settings.engine === 'auto' ? undefined : settings.engine,
      readyTimeoutMs: READY_TIMEOUT_MS,
      env: { NODE_OPTIONS: [process.env.NODE_OPTIONS, memory].filter(Boolean).join(' ') || undefined, ...proxyEnv(readHttpSettings()) },
      onOutput: (line) => log.info(`[host] ${line}`),
    });
    log.info(`training host ready (pid ${host.pid})`);
    return host;
  };
}
