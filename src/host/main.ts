// The training host process: serves the host protocol on the fork IPC channel and runs the engine (never in an editor).
import * as tf from '@tensorflow/tfjs';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, ResponseError } from 'vscode-jsonrpc/node';
import { Notifications, PROTOCOL_VERSION, Requests, type HostMemory, type TrainingListener } from '../protocol/host';
import { selectEngine } from '../engine/backend/select';
import { userMessage } from '../engine/fileErrors';
import { defaultCacheDir } from '../engine/training/featureStore';
import { trainExperiment } from '../engine/training/train';
import { evaluateRun, predictRun } from '../engine/training/runModel';
import { inspectModel, scanForClient, thumbnails } from './queries';
import { inspectText, isTextRun, isTextTraining, predictTexts, scanText } from './textRequests';
import { evaluateTextRun, trainTextExperiment } from '../engine/text';

if (!process.send) {
  process.stderr.write('transfer-lab host: start me with child_process.fork (I talk over the IPC channel)\n');
  process.exit(2);
}

// Ctrl+C in a terminal signals the whole process group: the client that started us decides what it means (Stop)
process.on('SIGINT', () => undefined);

const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
const engineChoice = (process.env.TRANSFER_LAB_ENGINE as Parameters<typeof selectEngine>[0]) || undefined;
let activeRun: AbortController | undefined;

function memoryNow(): HostMemory {
  const { numTensors, numBytes } = tf.memory();
  return { numTensors, tensorBytes: numBytes, rssBytes: process.memoryUsage.rss() };
}

const listener: TrainingListener = {
  log: (message) => void connection.sendNotification(Notifications.log, message),
  progress: (message) => void connection.sendNotification(Notifications.progress, message),
  runState: (message) => void connection.sendNotification(Notifications.runState, message),
  batch: (metrics) => void connection.sendNotification(Notifications.batch, metrics),
  // sampled at the same point of every epoch (its checkpoint and metrics written), so a leak shows as growth
  epoch: (metrics) => void connection.sendNotification(Notifications.epoch, { ...metrics, memory: memoryNow() }),
};

/** Errors cross the channel as their message, naming the file and the fix (file-system errors are put so here). */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new ResponseError(1, userMessage(error));
  }
}

connection.onRequest(Requests.hello, () => ({ pid: process.pid, protocolVersion: PROTOCOL_VERSION }));
connection.onRequest(Requests.memory, memoryNow);
connection.onRequest(Requests.inspectModel, (params) => answer(async () => {
  await selectEngine(engineChoice);
  return params.kind === 'text' ? inspectText(params) : inspectModel(params);
}));
connection.onRequest(Requests.scanDataset, (params) => answer(() => (params.kind === 'text' ? scanText(params) : scanForClient(params.root))));
connection.onRequest(Requests.train, (params) => answer(async () => {
  if (activeRun) throw new Error('a run is already in progress in this host — stop it first');
  activeRun = new AbortController();
  try {
    const options = { ...params, engine: params.engine ?? engineChoice, cacheDir: params.cacheDir ?? defaultCacheDir(), signal: activeRun.signal, listener };
    return (await isTextTraining(params)) ? await trainTextExperiment(options) : await trainExperiment(options);
  } finally {
    activeRun = undefined;
  }
}));
connection.onRequest(Requests.stop, () => {
  activeRun?.abort();
  return { stopping: activeRun !== undefined };
});
connection.onRequest(Requests.evaluate, (params) => answer(async () => {
  await selectEngine(engineChoice);
  if (await isTextRun(params.runDir)) return evaluateTextRun(params.runDir, { cacheDir: defaultCacheDir() }, params.data ? { path: params.data } : undefined);
  return evaluateRun(params.runDir, params.data, params.cacheDir ?? defaultCacheDir());
}));
connection.onRequest(Requests.predict, (params) => answer(async () => {
  await selectEngine(engineChoice);
  return params.texts ? predictTexts(params.runDir, params.texts, params.top) : predictRun(params.runDir, params.inputs, params.top);
}));
connection.onRequest(Requests.thumbnails, (params) => answer(() => thumbnails(params)));

connection.onClose(() => process.exit(0));
process.on('disconnect', () => process.exit(0));
connection.listen();
