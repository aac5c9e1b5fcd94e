// `transfer-lab`: the command-line client of the training host (the VS Code extension is the other).
import { parseArgs } from 'node:util';
import { Notifications, Requests, type TrainResult } from '../protocol/host';
import { HostCrashedError } from '../host/client';
import { writeRunState } from '../engine/runs';
import { writeExperimentFile, type Strategy } from './init';
import { writeSample } from './sample';
import { EXPORT_FORMATS, type ExportFormat, exportRun, exportText } from './export';
import { readPredictTexts, textPredictionLines, textScanText } from './text';
import { writeTextSample } from '../engine/text/textSample';
import { evaluationText, layersTable, readEvaluation, scanText } from './render';
import { openSession, type Output } from './session';

const USAGE = `transfer-lab — transfer learning for image classifiers

  transfer-lab init <name.experiment.json> --data <dir> [--base mobilenet_v2] [--strategy feature-extraction|fine-tune]
                    [--epochs 10] [--fine-tune-epochs N] [--input-size N] [--force]
  transfer-lab train <name.experiment.json> [--runs <dir>]
  transfer-lab resume <run-dir>
  transfer-lab evaluate <run-dir> [--data <dir>]
  transfer-lab predict <run-dir> <image|dir>... [--top 3]
  transfer-lab predict <text-run-dir> --text "…" | file.txt | -      (text runs: texts, .txt files, stdin lines)
  transfer-lab inspect <model> [--input-size N] [--feature-layer NAME] [--include-top]
  transfer-lab export <run-dir> [--format h5|keras|tfjs|onnx|keras-script|notebook] [--out <file.h5|.keras|.onnx|.py|.ipynb|folder>]
                    (the run's classifier as Keras 2 HDF5, a Keras 3 archive or a tfjs Layers folder + Python to load it)
  transfer-lab scan <data-dir> | --kind text <file.csv|.tsv|.jsonl|dir> [--text-column C] [--label-column C]
  transfer-lab sample [<dir>] [--per-class 60] [--no-train]   (Fashion-MNIST sample, 1–100 per class: data, experiment, training)
  transfer-lab sample --kind text [<dir>] [--no-train]          (SpamAssassin mail + a small BERT, downloaded once)

  common: --json (last stdout line is one JSON object), --engine auto|tfjs-node-gpu|tfjs-node|wasm|cpu, --cache-dir <dir>, --verbose`;

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: 'string' }, base: { type: 'string', default: 'mobilenet_v2' }, strategy: { type: 'string', default: 'fine-tune' },
    epochs: { type: 'string', default: '10' }, 'fine-tune-epochs': { type: 'string' }, 'input-size': { type: 'string' },
    force: { type: 'boolean' }, runs: { type: 'string' }, top: { type: 'string', default: '3' }, 'feature-layer': { type: 'string' },
    json: { type: 'boolean' }, engine: { type: 'string' }, 'cache-dir': { type: 'string' }, verbose: { type: 'boolean' },
    'include-top': { type: 'boolean' }, out: { type: 'string' }, format: { type: 'string' },
    text: { type: 'string', multiple: true }, kind: { type: 'string' }, 'text-column': { type: 'string' }, 'label-column': { type: 'string' },
    'per-class': { type: 'string', default: '60' }, 'no-train': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

const output: Output = {
  json: flags.json === true,
  verbose: flags.verbose === true,
  line: (text) => (flags.json ? process.stderr : process.stdout).write(`${text}\n`),
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

class UsageError extends Error {}

function emitJson(value: unknown): void {
  if (output.json) process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function train(experimentFile: string | undefined, resumeRunDir?: string): Promise<number> {
  const { host, progress } = await openSession(output, flags.engine);
  let runDir = resumeRunDir;
  host.connection.onNotification(Notifications.runState, (state) => (runDir = state.runDir));
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts += 1;
    output.warn(interrupts === 1 ? '\nstopping after this batch (Ctrl+C again to kill the host)…' : '\nkilling the training host');
    if (interrupts === 1) void host.connection.sendRequest(Requests.stop).catch(() => undefined);
    else void host.dispose(0);
  };
  process.on('SIGINT', onInterrupt);
  try {
    const result: TrainResult = await host.guard(host.connection.sendRequest(Requests.train, {
      experimentFile: experimentFile ?? '', resumeRunDir, runsRoot: flags.runs, cacheDir: flags['cache-dir'],
    }));
    progress.stop();
    output.line(`\nrun ${result.state}: ${result.runDir}`);
    output.line(`engine: ${result.engine.detail}`);
    for (const phase of result.phases) output.line(`  ${phase.name}: ${phase.epochs} epochs, val accuracy ${(phase.valAccuracy * 100).toFixed(1)}%${phase.stoppedEarly ? ' (stopped early)' : ''}`);
    if (result.message) output.warn(result.message);
    if (result.skippedFiles) output.warn(`${result.skippedFiles} files skipped — see ${result.runDir}/skipped.json`);
    const evaluation = result.state === 'completed' ? await readEvaluation(result.runDir) : undefined;
    for (const report of [evaluation?.val, evaluation?.test]) if (report) output.line(evaluationText(report));
    emitJson({
      run_dir: result.runDir, state: result.state, engine: result.engine.name, engine_detail: result.engine.detail, val_accuracy: result.valAccuracy,
      test_accuracy: evaluation?.test?.accuracy, epochs: result.epochs, seconds: result.seconds, phases: result.phases, skipped_files: result.skippedFiles,
    });
    return result.state === 'completed' ? 0 : result.state === 'cancelled' ? 130 : 3;
  } catch (error) {
    progress.stop();
    if (error instanceof HostCrashedError && runDir) {
      await writeRunState(runDir, { state: 'crashed', message: error.message });
      output.warn(`${error.message}\nrun marked crashed: ${runDir}\nresume it with: transfer-lab resume ${runDir}`);
      emitJson({ run_dir: runDir, state: 'crashed', error: error.message });
      return 4;
    }
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
    await host.dispose();
  }
}

async function withHost<T>(work: (session: Awaited<ReturnType<typeof openSession>>) => Promise<T>): Promise<T> {
  const session = await openSession(output, flags.engine);
  try {
    return await work(session);
  } finally {
    await session.host.dispose();
  }
}

async function main(): Promise<number> {
  const [command, ...args] = positionals;
  if (flags.help || !command) {
    output.line(USAGE);
    return command || flags.help ? 0 : 2;
  }
  switch (command) {
    case 'init': {
      const experiment = await writeExperimentFile({
        file: need(args[0], 'the experiment file name'), data: need(flags.data, '--data <dir>'), base: flags.base!,
        strategy: flags.strategy as Strategy, epochs: integer(flags.epochs, 'epochs')!, fineTuneEpochs: integer(flags['fine-tune-epochs'], 'fine-tune-epochs'),
        inputSize: integer(flags['input-size'], 'input-size'), force: flags.force,
      });
      output.line(`wrote ${args[0]}: ${experiment.phases.map((p) => `${p.name} ${p.epochs} epochs`).join(', then ')}\ntrain it with: transfer-lab train ${args[0]}`);
      emitJson({ file: args[0], experiment });
      return 0;
    }
    case 'train':
      return train(need(args[0], 'the experiment file'));
    case 'sample': {
      const textSample = flags.kind === 'text';
      const dir = args[0] ?? (textSample ? 'transfer-lab-text-sample' : 'transfer-lab-sample');
      const file = textSample ? await writeTextSample(dir) : await writeSample(dir, integer(flags['per-class'], 'per-class')!).catch((error) => {
        throw error instanceof RangeError ? new UsageError(`--per-class: ${error.message}`) : error;
      });
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
        else for (const p of predictions) output.line(p.error ? `${p.path}: skipped (${p.error})` : `${p.path}: ${p.top!.map((t) => `${t.label} ${(t.confidence * 100).toFixed(1)}%`).join(', ')}`);
        emitJson({ predictions });
        return predictions.some((p) => p.top) ? 0 : 1;
      });
    case 'inspect':
      return withHost(async ({ host }) => {
        const result = await host.guard(host.connection.sendRequest(Requests.inspectModel, {
          model: need(args[0], 'a model (catalog id, model.json path or URL)'), inputSize: integer(flags['input-size'], 'input-size'), featureLayer: flags['feature-layer'], cacheDir: flags['cache-dir'],
          includeTop: flags['include-top'],
        }));
        output.line(layersTable(result));
        output.line(`weights: ${result.weights}`);
        emitJson({ id: result.id, weights: result.weights, params: result.params, trainable_params: result.trainableParams, input_size: result.inputSize, feature_layer: result.featureLayer, layers: result.layers });
        return 0;
      });
    case 'export': {
      const format = flags.format as ExportFormat | undefined;
      if (format !== undefined && !EXPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got "${format}"`);
      const result = await exportRun(need(args[0], 'the run folder'), { format, out: flags.out, cacheDir: flags['cache-dir'] });
      output.line(exportText(result));
      emitJson({ format: result.format, file: result.file, tfjs_model: result.tfjsModel, labels: result.labelsFile, params: result.params, python: result.python, ...result.otherLanguages });
      return 0;
    }
    case 'scan':
      return withHost(async ({ host }) => {
        const kind = flags.kind === 'text' ? 'text' : 'image';
        const result = await host.guard(host.connection.sendRequest(Requests.scanDataset, { root: need(args[0], 'the data folder'), kind, textColumn: flags['text-column'], labelColumn: flags['label-column'] }));
        output.line(kind === 'text' ? textScanText(result as Parameters<typeof textScanText>[0]) : scanText(result));
        emitJson(result);
        return 0;
      });
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    output.warn(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : `error: ${error.message}`);
    emitJson({ error: error.message });
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
