// The training host process: serves the host protocol on the fork IPC channel and runs the engine (never in an editor).
import * as tf from '@tensorflow/tfjs';
import { createMessageConnection, ErrorCodes, IPCMessageReader, IPCMessageWriter, ResponseError } from 'vscode-jsonrpc/node';
import { Notifications, PROTOCOL_VERSION, Requests, type HostMemory, type TrainingListener } from '../protocol/host';
import { selectEngine } from '../engine/backend/select';
import { machineSpeed } from '../engine/backend/calibration';
import { userMessage } from '../engine/fileErrors';
import { defaultCacheDir } from '../engine/training/featureStore';
import { exportRun } from '../engine/export/exportRun';
import { runDoctor } from '../engine/doctor/doctor';
import { runHeatmaps } from '../engine/explain/heatmaps';
import { searchExperiment } from '../engine/search/search';
import { writeRowExperiment } from '../engine/search/winner';
import { loadExperimentFile } from '../engine/experiment/load';
import { inspectModel, scanForClient, thumbnails } from './queries';
import { writeSampleFor } from './sample';
import { lrFindFor, runUseOf, trainerFor } from './runKinds';
import { inspectText, scanText } from './textRequests';

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
    // a parameter out of range is the caller's to fix: clients show it as a usage error
    throw new ResponseError(error instanceof RangeError ? ErrorCodes.InvalidParams : 1, userMessage(error));
  }
}

connection.onRequest(Requests.hello, () => ({ pid: process.pid, protocolVersion: PROTOCOL_VERSION }));
connection.onRequest(Requests.memory, memoryNow);
connection.onRequest(Requests.machineSpeed, () => answer(async () => {
  await selectEngine(engineChoice);
  return machineSpeed();
}));
connection.onRequest(Requests.inspectModel, (params) => answer(async () => {
  await selectEngine(engineChoice);
  return params.kind === 'text' ? inspectText(params) : inspectModel(params);
}));
connection.onRequest(Requests.scanDataset, (params) => answer(() => (params.kind === 'text' ? scanText(params) : scanForClient(params.root))));
/** Cheap checks from cached features (the dashboard's line about a run's data): beside other work, never in its way. */
const backgroundChecks = new Set<AbortController>();

async function background<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  backgroundChecks.add(controller);
  try {
    return await work(controller.signal);
  } finally {
    backgroundChecks.delete(controller);
  }
}

/** Work that `stop` cancels (a run, a data check, a learning-rate sweep, a search): one at a time per host. */
async function stoppable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (activeRun) throw new Error('this host is already training or checking data — stop that first');
  backgroundChecks.forEach((check) => check.abort()); // a background check yields to what the user asked for
  activeRun = new AbortController();
  try {
    return await work(activeRun.signal);
  } finally {
    activeRun = undefined;
  }
}

connection.onRequest(Requests.train, (params) => answer(() => stoppable(async (signal) => {
  const options = { ...params, engine: params.engine ?? engineChoice, cacheDir: params.cacheDir ?? defaultCacheDir(), signal, listener };
  return (await trainerFor(params))(options);
})));
connection.onRequest(Requests.doctor, (params) => answer(() => (params.cachedOnly ? background : stoppable)(async (signal) => {
  const engine = await selectEngine(engineChoice);
  // a background check's progress would show in whatever notification the user is watching
  return runDoctor(params, { engine, cacheDir: params.cacheDir ?? defaultCacheDir(), signal, progress: params.cachedOnly ? () => undefined : listener.progress, log: listener.log });
})));
connection.onRequest(Requests.lrFind, (params) => answer(() => stoppable((signal) => lrFindFor({
  ...params, engine: params.engine ?? engineChoice, cacheDir: params.cacheDir ?? defaultCacheDir(), signal, listener,
}))));
connection.onRequest(Requests.search, (params) => answer(() => stoppable((signal) => searchExperiment({
  ...params, engine: params.engine ?? engineChoice, cacheDir: params.cacheDir ?? defaultCacheDir(), signal, listener,
}))));
connection.onRequest(Requests.searchRow, (params) => answer(async () => ({ file: await writeRowExperiment(await loadExperimentFile(params.experimentFile), params.row, params.rank) })));
connection.onRequest(Requests.stop, () => {
  activeRun?.abort();
  backgroundChecks.forEach((check) => check.abort());
  return { stopping: activeRun !== undefined };
});
connection.onRequest(Requests.evaluate, (params) => answer(async () => {
  await selectEngine(engineChoice);
  return (await runUseOf(params.runDir)).evaluate(params.runDir, params.data, { cacheDir: params.cacheDir ?? defaultCacheDir() });
}));
connection.onRequest(Requests.predict, (params) => answer(async () => {
  await selectEngine(engineChoice);
  return (await runUseOf(params.runDir)).predict(params.runDir, params);
}));
connection.onRequest(Requests.heatmaps, (params) => answer(async () => {
  await selectEngine(engineChoice);
  return runHeatmaps(params.runDir, params.files, params.classIndex);
}));
connection.onRequest(Requests.export, (params) => answer(async () => {
  await selectEngine(engineChoice);
  return exportRun(params.runDir, { format: params.format, out: params.out }, { cacheDir: params.cacheDir ?? defaultCacheDir() });
}));
connection.onRequest(Requests.sample, (params) => answer(() => writeSampleFor(params)));
connection.onRequest(Requests.thumbnails, (params) => answer(() => thumbnails(params)));

connection.onClose(() => process.exit(0));
process.on('disconnect', () => process.exit(0));
connection.listen();
