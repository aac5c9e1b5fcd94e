// The command line, parsed strictly per command: an unknown flag, a flag without its value or a value outside a
// flag's choices is one kind of error (UsageError: exit 2 with that command's usage), whatever the command.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ENGINE_CHOICES } from '../protocol/experiment';
import { EXPORT_FORMATS } from '../protocol/host';
import { STRATEGIES } from '../engine/experiment/writeExperiment';
import { PREPROCESSINGS } from '../shared/preprocessing';
import { DEFAULT_RECIPE } from '../shared/recipe';
import { UsageError } from './usageError';

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON_USAGE = `  common: --json (last stdout line is one JSON object), --engine auto|tfjs-node-gpu|tfjs-node|wasm|cpu, --cache-dir <dir>, --verbose,
          --help (this command's usage), --version`;
const COMMON: Options = {
  json: { type: 'boolean' }, engine: { type: 'string' }, 'cache-dir': { type: 'string' }, verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' },
};

const COMMANDS: Record<string, { usage: string; options: Options }> = {
  init: {
    usage: `  transfer-lab init <name.experiment.json> --data <dir> [--base <id|model file|URL>] [--weights <file.h5>] [--strategy feature-extraction|fine-tune]
                    [--epochs ${DEFAULT_RECIPE.headEpochs}] [--fine-tune-epochs N] [--input-size N] [--preprocessing ${PREPROCESSINGS.join('|')}] [--force]
                    (no --base: mobilenet_v2 (ImageNet) when its weights are cached or downloadable, else the offline nsfwjs_mobilenet_v2)`,
    options: {
      data: { type: 'string' }, base: { type: 'string' }, weights: { type: 'string' }, preprocessing: { type: 'string' }, strategy: { type: 'string', default: 'fine-tune' },
      epochs: { type: 'string', default: String(DEFAULT_RECIPE.headEpochs) }, 'fine-tune-epochs': { type: 'string' }, 'input-size': { type: 'string' }, force: { type: 'boolean' },
    },
  },
  train: { usage: '  transfer-lab train <name.experiment.json> [--runs <dir>]', options: { runs: { type: 'string' } } },
  resume: { usage: '  transfer-lab resume <run-dir>', options: {} },
  evaluate: { usage: '  transfer-lab evaluate <run-dir> [--data <dir>]', options: { data: { type: 'string' } } },
  predict: {
    usage: `  transfer-lab predict <run-dir> <image|dir>... [--top 3]
  transfer-lab predict <text-run-dir> --text "…" | file.txt | -      (text runs: texts, .txt files, stdin lines)`,
    options: { top: { type: 'string', default: '3' }, text: { type: 'string', multiple: true } },
  },
  inspect: {
    usage: `  transfer-lab inspect <model> [--input-size N] [--feature-layer NAME] [--include-top] [--data <dir>]
                    (--data: images whose statistics decide a model file's preprocessing)`,
    options: { 'input-size': { type: 'string' }, 'feature-layer': { type: 'string' }, 'include-top': { type: 'boolean' }, data: { type: 'string' } },
  },
  export: {
    usage: `  transfer-lab export <run-dir> [--format ${EXPORT_FORMATS.join('|')}] [--out <file.h5|.keras|.onnx|.py|.ipynb|folder>]
                    (image runs: Keras 2 HDF5, a Keras 3 archive, a tfjs Layers folder or ONNX, with the code that loads it, or the run
                    as a TensorFlow/Keras script or notebook; text runs: hf, a Hugging Face BertForSequenceClassification folder)`,
    options: { format: { type: 'string' }, out: { type: 'string' } },
  },
  'lr-find': {
    usage: `  transfer-lab lr-find <name.experiment.json> [--phase <name|number>]
                    (fastai's lr_find: ~100 training steps at rates growing from 1e-7 until the loss explodes, on cached
                    features; suggests the rate where the smoothed loss falls fastest)`,
    options: { phase: { type: 'string' } },
  },
  search: {
    usage: `  transfer-lab search <name.experiment.json> [--bases <id|model file|URL>,...] [--trials 30] [--budget <minutes>]
                    (features of each base once, then successive halving over head settings on stratified folds of the
                    training split; writes the winner as <name>.best.experiment.json beside the experiment)`,
    options: { bases: { type: 'string' }, trials: { type: 'string' }, budget: { type: 'string' } },
  },
  scan: {
    usage: '  transfer-lab scan <data-dir> | --kind text <file.csv|.tsv|.jsonl|dir> [--text-column C] [--label-column C]',
    options: { kind: { type: 'string' }, 'text-column': { type: 'string' }, 'label-column': { type: 'string' } },
  },
  doctor: {
    usage: `  transfer-lab doctor <data-dir | name.experiment.json> [--base <id|model file>] [--near 0.97]
                    (label issues, duplicates and train–test leakage, outliers, odd images; --near: feature cosine for near-duplicates)`,
    options: { base: { type: 'string' }, near: { type: 'string' } },
  },
  sample: {
    usage: `  transfer-lab sample [<dir>] [--per-class 60] [--no-train]   (Fashion-MNIST sample, 1–100 per class: data, experiment, training)
  transfer-lab sample --kind text [<dir>] [--no-train]          (SpamAssassin mail + a small BERT, downloaded once)`,
    options: { kind: { type: 'string' }, 'per-class': { type: 'string', default: '60' }, 'no-train': { type: 'boolean' } },
  },
};

/** Flags whose value must be one of a few words. */
const CHOICES: Record<string, readonly string[]> = {
  engine: ENGINE_CHOICES, strategy: STRATEGIES, format: EXPORT_FORMATS, kind: ['image', 'text'], preprocessing: PREPROCESSINGS,
};

export const USAGE = `transfer-lab — transfer learning for image classifiers\n\n${Object.values(COMMANDS).map((c) => c.usage).join('\n')}\n\n${COMMON_USAGE}`;

export function usageOf(command: string | undefined): string {
  const spec = command === undefined ? undefined : COMMANDS[command];
  return spec ? `${spec.usage}\n\n${COMMON_USAGE}` : USAGE;
}

export interface Flags {
  json?: boolean; verbose?: boolean; help?: boolean; version?: boolean; force?: boolean; 'include-top'?: boolean; 'no-train'?: boolean;
  engine?: string; 'cache-dir'?: string; data?: string; base?: string; weights?: string; preprocessing?: string; strategy?: string; epochs?: string; 'fine-tune-epochs'?: string;
  'input-size'?: string; runs?: string; top?: string; 'feature-layer'?: string; out?: string; format?: string; text?: string[];
  kind?: string; 'text-column'?: string; 'label-column'?: string; 'per-class'?: string; near?: string; phase?: string;
  bases?: string; trials?: string; budget?: string;
}

export interface CommandLine {
  /** Undefined for `transfer-lab --help`/`--version` (and a bare `transfer-lab`). */
  command?: string;
  args: string[];
  flags: Flags;
}

/** Only the command's own flags and the common ones are accepted. */
export function parseCommandLine(argv: string[]): CommandLine {
  // common flags may come first (`--engine wasm train x`): the command is the first argument that names one
  const at = argv.findIndex((arg) => Object.hasOwn(COMMANDS, arg));
  const first = argv.find((arg) => !arg.startsWith('-'));
  if (at < 0 && first !== undefined && !argv.includes('--help') && !argv.includes('-h')) throw new UsageError(`unknown command "${first}"`);
  const command = at < 0 ? undefined : argv[at];
  const own = command ? COMMANDS[command].options : {};
  let parsed;
  try {
    parsed = parseArgs({ args: argv.filter((_, i) => i !== at), options: { ...COMMON, ...own }, allowPositionals: command !== undefined, strict: true });
  } catch (error) {
    throw new UsageError(parseProblem(error as Error & { code?: string }, command), command);
  }
  const flags = parsed.values as Flags;
  for (const [flag, choices] of Object.entries(CHOICES)) {
    const value = flags[flag as keyof Flags];
    if (typeof value === 'string' && !choices.includes(value)) throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got "${value}"`, command);
  }
  return { command, args: parsed.positionals, flags };
}

/** node's parse errors, said in terms of this CLI: which flag, and which command it belongs to. */
function parseProblem(error: Error & { code?: string }, command: string | undefined): string {
  const flag = /'(-{1,2}[^' =]+)/.exec(error.message)?.[1] ?? '';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const owners = Object.keys(COMMANDS).filter((name) => flag.replace(/^-+/, '') in COMMANDS[name].options);
    if (command && owners.length) return `${command} does not take ${flag} (${owners.join(', ')} ${owners.length > 1 ? 'do' : 'does'})`;
    return `unknown option ${flag}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return /does not take/.test(error.message) ? `${flag} does not take a value` : `${flag} needs a value`;
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unknown command "${/'([^']*)'/.exec(error.message)?.[1] ?? ''}"`;
  return error.message;
}
