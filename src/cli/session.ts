// One CLI command's connection to a training host, with the host's notifications routed to the terminal.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Notifications } from '../protocol/host';
import { TrainingHost } from '../host/client';
import { RunProgress } from './progress';

export interface Output {
  json: boolean;
  verbose: boolean;
  /** Human lines: stdout normally, stderr under --json so stdout's last line stays the JSON result. */
  line(text: string): void;
  warn(text: string): void;
}

export function hostScript(): string {
  const beside = join(__dirname, 'host.js');
  return existsSync(beside) ? beside : join(__dirname, '..', '..', 'dist', 'host.js');
}

export async function openSession(output: Output, engine?: string): Promise<{ host: TrainingHost; progress: RunProgress }> {
  const host = await TrainingHost.start({
    script: hostScript(),
    engine,
    onOutput: (line) => output.verbose && output.warn(`[host] ${line}`),
  });
  const progress = new RunProgress(process.stderr.isTTY === true && !output.json, (text) => output.line(text));
  host.connection.onNotification(Notifications.log, (message) => {
    if (message.level === 'info' && !output.verbose && output.json) return;
    progress.stop();
    (message.level === 'info' ? output.line : output.warn)(message.level === 'info' ? message.message : `${message.level}: ${message.message}`);
  });
  host.connection.onNotification(Notifications.progress, (message) => progress.progress(message));
  host.connection.onNotification(Notifications.batch, (metrics) => progress.batch(metrics));
  host.connection.onNotification(Notifications.epoch, (metrics) => {
    progress.epoch(metrics);
    if (output.verbose && metrics.memory) output.warn(`[host] ${metrics.memory.numTensors} tensors, ${(metrics.memory.rssBytes / 2 ** 20).toFixed(0)} MB resident`);
  });
  return { host, progress };
}
