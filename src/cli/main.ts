// `transfer-lab`: the command-line client of the training host (the VS Code extension is the other).
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ErrorCodes, ResponseError } from 'vscode-jsonrpc';
import { Notifications, Requests, type ExportFormat, type TrainResult } from '../protocol/host';
import { HostCrashedError } from '../host/client';
import { writeRunState } from '../engine/runs';
import { userMessage } from '../engine/fileErrors';
import { writeExperimentFile, type Strategy } from '../engine/experiment/writeExperiment';
import { version } from '../../package.json';
import { UsageError } from './usageError';
import { parseCommandLine, usageOf, type CommandLine, type Flags } from './args';
import { readPredictTexts, textPredictionLines, textScanText } from './text';
import { evaluationText, exportText, imagePredictionLine, layersTable, readEvaluation, scanText, trainJson, trainSummary } from './render';
import { openSession, type Output } from './session';
import { Cancelled, handleInterrupts, withInterrupts } from './interrupt';
import { doctorJson, doctorText } from './doctorText';
import { lrFindText, parseBases, searchJson, searchText } from './tuning';
import { CATALOG, findCatalogEntry } from '../shared/catalog';
import { chooseDefaultBase, OFFLINE_BASE } from '../engine/models/defaultBase';
import { answersHead } from '../engine/net/download';
import { defaultCacheDir } from '../engine/training/featureStore';
import { describePreprocessing, type Preprocessing } from '../shared/preprocessing';
import { SKIPPED_FILE } from '../shared/runLayout';

let commandLine: CommandLine | undefined;
const argv = process.argv.slice(2);
const flags: Flags = {};
const wantsJson = argv.includes('--json');

const output: Output = {
  json: wantsJson,
  verbose: argv.includes('--verbose'),
  line: (text) => (wantsJson ? process.stderr : process.stdout).write(`${text}\n`),
  warn: (text) => process.stderr.write(`${text}\n`),
};

function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${flag} must be a positive whole number, got "${value}"`);
  return n;
}

function emitJson(value: unknown): void {
  if (output.json) process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function train(experimentFile: string | undefined, resumeRunDir?: string): Promise<number> {
  const { host, progress } = await openSession(output, flags.engine);
  let runDir = resumeRunDir;
  host.connection.onNotification(Notifications.runState, (state) => (runDir = state.runDir));
  const interrupts = handleInterrupts(host, output, 'stopping after this batch');
  try {
    const result: TrainResult = await host.guard(host.connection.sendRequest(Requests.train, {
      experimentFile: experimentFile ?? '', resumeRunDir, runsRoot: flags.runs, cacheDir: flags['cache-dir'],
    }));
    progress.stop();
    const evaluation = result.state === 'completed' ? await readEvaluation(result.runDir) : undefined;
    for (const line of trainSummary(result, evaluation)) output.line(line);
    if (result.message) output.warn(result.message);
    if (result.skippedFiles) output.warn(`${result.skippedFiles} examples skipped — see ${join(result.runDir, SKIPPED_FILE)}`);
    for (const report of [evaluation?.val, evaluation?.test]) if (report) output.line(evaluationText(report));
    emitJson(trainJson(result, evaluation));
    return result.state === 'completed' ? 0 : result.state === 'cancelled' ? 130 : 3;
  } catch (error) {
    progress.stop();
    if (interrupts.count > 1) {
      // the user killed the host: a stop, not a crash; the run resumes from its last checkpoint
      if (runDir) await writeRunState(runDir, { state: 'cancelled', message: 'aborted by a second Ctrl+C' });
      output.warn(runDir ? `run cancelled (training host aborted): ${runDir}\nresume it with: transfer-lab resume ${runDir}` : 'cancelled before a run folder was made');
      emitJson({ run_dir: runDir, state: 'cancelled' });
      return 130;
    }
    if (error instanceof HostCrashedError && runDir) {
      await writeRunState(runDir, { state: 'crashed', message: error.message });
      output.warn(`${error.message}\nrun marked crashed: ${runDir}\nresume it with: transfer-lab resume ${runDir}`);
      emitJson({ run_dir: runDir, state: 'crashed', error: error.message });
      return 4;
    }
    throw error;
  } finally {
    interrupts.dispose();
    await host.dispose();
  }
}

function fraction(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new UsageError(`--${flag} must be a number above 0 and at most 1, got "${value}"`, 'doctor');
  return n;
}

async function doctor(target: string): Promise<number> {
  const near = fraction(flags.near, 'near');
  if (flags.base) await checkBase(flags.base, 'doctor');
  return withHost(async ({ host, progress }) => {
    const report = await withInterrupts(host, output, 'check', host.connection.sendRequest(Requests.doctor, { target: resolve(target), base: flags.base, near, cacheDir: flags['cache-dir'] }));
    progress.stop();
    output.line(doctorText(report));
    emitJson(doctorJson(report));
    return 0;
  });
}

async function withHost<T>(work: (session: Awaited<ReturnType<typeof openSession>>) => Promise<T>): Promise<T> {
  const session = await openSession(output, flags.engine);
  try {
    return await work(session);
  } finally {
    session.progress.stop(); // a failed or cancelled command's message starts on a line of its own
    await session.host.dispose();
  }
}

/** A base that train would only reject later: not a catalog id, not a readable file or folder, not a URL. */
async function checkBase(base: string, command: string): Promise<void> {
  if (findCatalogEntry(base) || /^https?:\/\//i.test(base)) return;
  await access(base, constants.R_OK).catch(() => {
    throw new UsageError(`--base: ${base} is not a catalog id (${CATALOG.map((e) => e.id).join(', ')}), a readable model file or folder, or an http(s) URL`, command);
  });
}

/** `init` without --base: the rule of src/engine/models/defaultBase.ts, said in one line. */
async function defaultBase(): Promise<string> {
  const choice = await chooseDefaultBase({ cacheDir: flags['cache-dir'] ?? defaultCacheDir(), reachable: answersHead });
  (choice.base === OFFLINE_BASE ? output.warn : output.line)(`base: ${choice.note}`);
  return choice.base;
}

/** A model file or URL without --preprocessing: what the run will detect, shown now (a guess is a warning). */
async function reportDetection(base: string, data: string): Promise<void> {
  await withHost(async ({ host }) => {
    const { preprocessingChoice: choice } = await host.guard(host.connection.sendRequest(Requests.inspectModel, { model: base, probeData: data, cacheDir: flags['cache-dir'] }));
    if (choice) (choice.guess ? output.warn : output.line)(`${choice.guess ? 'warn: ' : ''}preprocessing: ${describePreprocessing(choice)}`);
  });
}

async function main(): Promise<number> {
  commandLine = parseCommandLine(argv);
  Object.assign(flags, commandLine.flags);
  const { command, args } = commandLine;
  if (flags.version) {
    output.line(version);
    emitJson({ version });
    return 0;
  }
  if (flags.help) {
    output.line(usageOf(command));
    return 0;
  }
  if (!command) throw new UsageError('no command given');
  switch (command) {
    case 'init': {
      const file = need(args[0], 'the experiment file name');
      const data = need(flags.data, '--data <dir>');
      // parseCommandLine already refused a value outside PREPROCESSINGS
      const preprocessing = flags.preprocessing as Preprocessing | undefined;
      const base = flags.base ?? (await defaultBase());
      await checkBase(base, 'init');
      const experiment = await writeExperimentFile({
        file, data, base, preprocessing, weights: flags.weights,
        strategy: flags.strategy as Strategy, epochs: integer(flags.epochs, 'epochs')!, fineTuneEpochs: integer(flags['fine-tune-epochs'], 'fine-tune-epochs'),
        inputSize: integer(flags['input-size'], 'input-size'), force: flags.force,
      });
      if (!preprocessing && !findCatalogEntry(base)) await reportDetection(base, data);
      output.line(`wrote ${args[0]}: ${experiment.phases.map((p) => `${p.name} ${p.epochs} epochs`).join(', then ')}\ntrain it with: transfer-lab train ${args[0]}`);
      emitJson({ file: args[0], experiment });
      return 0;
    }
    case 'train':
      return train(need(args[0], 'the experiment file'));
    case 'sample': {
      const textSample = flags.kind === 'text';
      const dir = args[0] ?? (textSample ? 'transfer-lab-text-sample' : 'transfer-lab-sample');
      const perClass = integer(flags['per-class'], 'per-class');
      const { experimentFile: file } = await withHost(({ host }) => host.guard(host.connection.sendRequest(Requests.sample, { dir: resolve(dir), kind: textSample ? 'text' : 'image', perClass })).catch((error) => {
        throw error instanceof ResponseError && error.code === ErrorCodes.InvalidParams ? new UsageError(`--per-class: ${error.message}`) : error;
      }));
      output.line(`sample experiment: ${file}`);
      return flags['no-train'] ? 0 : train(file);
    }
    case 'resume':
      return train(undefined, need(args[0], 'the run folder'));
    case 'evaluate':
      return withHost(async ({ host }) => {
        const report = await host.guard(host.connection.sendRequest(Requests.evaluate, { runDir: need(args[0], 'the run folder'), data: flags.data }));
        output.line(evaluationText(report));
        emitJson({ accuracy: report.accuracy, loss: report.loss, count: report.count, classes: report.classes, confusion_matrix: report.confusionMatrix, per_class: report.perClass, macro: report.macro, skipped: report.skipped });
        return 0;
      });
    case 'predict':
      return withHost(async ({ host }) => {
        const runDir = need(args[0], 'the run folder');
        const texts = flags.text?.length || args.slice(1).some((a) => a === '-' || a.endsWith('.txt')) ? await readPredictTexts(flags.text ?? [], args.slice(1)) : undefined;
        if (!texts && args.length < 2) throw new UsageError('predict needs a run folder and at least one image or folder (or --text for a text run)');
        const predictions = await host.guard(host.connection.sendRequest(Requests.predict, { runDir, inputs: texts ? [] : args.slice(1), texts, top: integer(flags.top, 'top') }));
        if (texts) textPredictionLines(predictions.map((p) => ({ text: p.text ?? '', top: p.top ?? [], truncated: p.truncated ?? false }))).forEach((line) => output.line(line));
        else predictions.forEach((p) => output.line(imagePredictionLine(p)));
        const predicted = predictions.some((p) => p.top);
        emitJson({ predictions, ...(predicted ? {} : { error: 'nothing could be predicted: every input was skipped' }) });
        return predicted ? 0 : 1;
      });
    case 'inspect':
      return withHost(async ({ host }) => {
        const result = await host.guard(host.connection.sendRequest(Requests.inspectModel, {
          model: need(args[0], 'a model (catalog id, model.json path or URL)'), inputSize: integer(flags['input-size'], 'input-size'), featureLayer: flags['feature-layer'], cacheDir: flags['cache-dir'],
          includeTop: flags['include-top'], probeData: flags.data,
        }));
        output.line(layersTable(result));
        output.line(`weights: ${result.weights}`);
        if (result.preprocessingChoice) output.line(`preprocessing: ${describePreprocessing(result.preprocessingChoice)}`);
        emitJson({
          id: result.id, weights: result.weights, params: result.params, trainable_params: result.trainableParams, input_size: result.inputSize, feature_layer: result.featureLayer,
          preprocessing: result.preprocessing, preprocessing_source: result.preprocessingChoice?.source, preprocessing_reason: result.preprocessingChoice?.reason, layers: result.layers,
        });
        return 0;
      });
    case 'export': {
      // parseCommandLine already refused a format outside EXPORT_FORMATS; the host refuses one the run's kind cannot write
      const format = flags.format as ExportFormat | undefined;
      const runDir = resolve(need(args[0], 'the run folder'));
      return withHost(async ({ host }) => {
        const result = await host.guard(host.connection.sendRequest(Requests.export, { runDir, format, out: flags.out && resolve(flags.out), cacheDir: flags['cache-dir'] }));
        output.line(exportText(result));
        emitJson({ format: result.format, file: result.file, tfjs_model: result.tfjsModel, labels: result.labelsFile, params: result.params, python: result.python, ...result.otherLanguages });
        return 0;
      });
    }
    case 'doctor':
      return doctor(need(args[0], 'a data folder or experiment file'));
    case 'lr-find':
      return withHost(async ({ host, progress }) => {
        const experimentFile = resolve(need(args[0], 'the experiment file'));
        const result = await withInterrupts(host, output, 'sweep', host.connection.sendRequest(Requests.lrFind, { experimentFile, phase: flags.phase, cacheDir: flags['cache-dir'] }));
        progress.stop();
        lrFindText(result).forEach((line) => output.line(line));
        emitJson({ phase: result.phase, rates: result.rates, losses: result.losses, suggestion: result.suggestion, seconds: result.seconds });
        return 0;
      });
    case 'search':
      return withHost(async ({ host, progress }) => {
        const experimentFile = resolve(need(args[0], 'the experiment file'));
        const budget = flags.budget === undefined ? undefined : Number(flags.budget);
        if (budget !== undefined && !(budget > 0)) throw new UsageError(`--budget must be a positive number of minutes, got "${flags.budget}"`, 'search');
        const result = await withInterrupts(host, output, 'search', host.connection.sendRequest(Requests.search, {
          experimentFile, bases: parseBases(flags.bases), trials: integer(flags.trials, 'trials'), budgetMinutes: budget, cacheDir: flags['cache-dir'],
        }));
        progress.stop();
        searchText(result).forEach((line) => output.line(line));
        emitJson(searchJson(result));
        return 0;
      });
    case 'scan':
      return withHost(async ({ host }) => {
        const kind = flags.kind === 'text' ? 'text' : 'image';
        const result = await host.guard(host.connection.sendRequest(Requests.scanDataset, { root: need(args[0], 'the data folder'), kind, textColumn: flags['text-column'], labelColumn: flags['label-column'] }));
        output.line(kind === 'text' ? textScanText(result as Parameters<typeof textScanText>[0]) : scanText(result));
        emitJson(result);
        return 0;
      });
    default:
      throw new UsageError(`unknown command "${command}"`, command);
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    if (error instanceof Cancelled) {
      output.warn(error.message);
      emitJson({ error: 'cancelled' });
      process.exit(130);
    }
    const usage = error instanceof UsageError;
    const message = userMessage(error);
    output.warn(usage ? `${message}\n\n${usageOf(error.command ?? commandLine?.command)}` : `error: ${message}`);
    emitJson({ error: message });
    process.exit(usage ? 2 : 1);
  },
);
