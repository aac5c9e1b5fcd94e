// The New Experiment wizard's steps as VS Code inputs; each fills its answer and says whether to go on, back or stop.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { CATALOG, findCatalogEntry } from '../../engine/models/catalog';
import type { TrainableSpec } from '../../protocol/experiment';
import { Requests, type ScanDatasetResult } from '../../protocol/host';
import type { HostSupervisor } from '../host/supervisor';
import { errorText } from '../notify';
import { datasetCandidates, IMAGE_GLOB } from './datasetCandidates';
import { inputStep, pickStep, type StepFrame, type StepResult } from './quickInput';
import {
  checkInteger, checkLearningRate, checkName, defaultBatchSize, defaultFineTuneEpochs, DEFAULTS, inputSizeChoices, trainImageCount,
  type StepId, type Strategy, type WizardAnswers,
} from './wizardModel';

export type StepOutcome = 'next' | 'back' | 'cancel' | 'again';

export interface StepContext {
  frame: StepFrame;
  answers: WizardAnswers;
  supervisor: HostSupervisor;
  defaultBase: string;
  /** Where `<name>.experiment.json` will be written, for the name step's check. */
  experimentPath(name: string): vscode.Uri;
}

type Item<T> = vscode.QuickPickItem & { value?: T };
const separator = (label: string): Item<never> => ({ label, kind: vscode.QuickPickItemKind.Separator });

function outcome<T>(result: StepResult<T>, apply: (value: T) => StepOutcome | void): StepOutcome {
  if (result.kind !== 'value') return result.kind;
  return apply(result.value) ?? 'next';
}

async function datasetStep(ctx: StepContext): Promise<StepOutcome> {
  const found = vscode.workspace.findFiles(IMAGE_GLOB, '**/{node_modules,.git,runs,.cache}/**', 20_000).then((uris) =>
    datasetCandidates(uris.map((u) => u.fsPath)).map((c): Item<string> => ({
      label: `$(folder) ${vscode.workspace.asRelativePath(c.root)}`, description: `${c.classes} classes · ${c.images} images`, value: c.root,
    })),
  );
  const items = found.then((list) => [...list, { label: '$(folder-opened) Browse…', description: 'a folder with one sub-folder per class' } as Item<string>]);
  const result = await pickStep(ctx.frame, 'Choose the dataset: a folder with one sub-folder of images per class', items, (i) => i.value !== undefined && i.value === ctx.answers.dataRoot);
  if (result.kind === 'value' && !result.value.value) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use as Dataset', title: 'Dataset folder (one sub-folder per class)' });
    if (!picked?.[0]) return 'again';
    ctx.answers.dataRoot = picked[0].fsPath;
    return 'next';
  }
  return outcome(result, (item) => void (ctx.answers.dataRoot = item.value));
}

function scanItems(scan: ScanDatasetResult): Item<boolean>[] {
  const images = Object.values(scan.counts).reduce((sum, c) => sum + c.train + c.val + c.test, 0);
  const layout = scan.layout === 'split-folders' ? 'train/val/test folders' : `class folders (${DEFAULTS.valSplit * 100}% held out for validation)`;
  const classes = scan.classes.map((name): Item<boolean> => {
    const c = scan.counts[name];
    const split = scan.layout === 'split-folders' ? ` (train ${c.train} · val ${c.val} · test ${c.test})` : '';
    return { label: `$(folder) ${name}`, description: `${c.train + c.val + c.test} images${split}`, value: true };
  });
  const problems = scan.problems.slice(0, 100).map((p): Item<boolean> => ({ label: `$(warning) ${vscode.workspace.asRelativePath(p.path)}`, detail: p.message, value: true }));
  return [
    { label: `$(check) Continue with ${scan.classes.length} classes, ${images} images`, detail: `Layout: ${layout}${scan.problems.length ? ` · ${scan.problems.length} files skipped (listed below)` : ''}`, value: true },
    separator('Classes'), ...classes,
    ...(problems.length ? [separator(`Problems (${scan.problems.length})`), ...problems] : []),
  ];
}

async function scanStep(ctx: StepContext): Promise<StepOutcome> {
  const root = ctx.answers.dataRoot!;
  const items = ctx.supervisor.call((c) => c.sendRequest(Requests.scanDataset, { root })).then(
    (scan): Item<boolean>[] => ((ctx.answers.scan = scan), scanItems(scan)),
    (error): Item<boolean>[] => [{ label: '$(arrow-left) Choose another folder', detail: `Cannot use ${root}: ${errorText(error)}`, value: false }],
  );
  const result = await pickStep(ctx.frame, `What the scan of ${basename(root)} found`, items);
  return outcome(result, (item) => (item.value ? 'next' : 'back'));
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}

async function baseStep(ctx: StepContext): Promise<StepOutcome> {
  const entries = [...CATALOG].sort((a, b) => Number(b.id === ctx.defaultBase) - Number(a.id === ctx.defaultBase));
  const items: Item<string>[] = entries.map((e) => ({
    label: e.displayName,
    description: `${e.defaultInputSize}px · ${(e.params / 1e6).toFixed(2)} M parameters · ${megabytes(e.sizeOnDiskBytes)}`,
    detail: `${e.source.kind === 'nsfwjs' ? '$(check) Offline: ships with Transfer Lab' : '$(cloud-download) Downloads on first use'} — ${e.origin}`,
    value: e.id,
  }));
  items.push({ label: '$(file) A tfjs Layers model.json…', description: 'a model file on disk', value: '' });
  const result = await pickStep(ctx.frame, 'Choose the pre-trained base model', items, (i) => i.value === (ctx.answers.base ?? ctx.defaultBase));
  if (result.kind === 'value' && !result.value.value) {
    const picked = await vscode.window.showOpenDialog({ canSelectFiles: true, filters: { 'tfjs Layers model': ['json'] }, openLabel: 'Use as Base Model' });
    if (!picked?.[0]) return 'again';
    ctx.answers.base = picked[0].fsPath;
    return 'next';
  }
  return outcome(result, (item) => void (ctx.answers.base = item.value));
}

async function inputSizeStep(ctx: StepContext): Promise<StepOutcome> {
  const entry = findCatalogEntry(ctx.answers.base ?? '');
  const sizes = entry ? inputSizeChoices(entry) : [224, 160, 128, 96, 64];
  const items = sizes.map((size, i): Item<number> => ({
    label: `${size} × ${size}`, value: size,
    description: i === 0 && entry ? "the model's own size: best accuracy" : size <= 96 ? 'much faster on a CPU' : 'faster on a CPU',
  }));
  const result = await pickStep(ctx.frame, 'Image size the model sees (smaller trains much faster on a CPU)', items, (i) => i.value === ctx.answers.inputSize);
  return outcome(result, (item) => void (ctx.answers.inputSize = item.value));
}

async function strategyStep(ctx: StepContext): Promise<StepOutcome> {
  const items: Item<Strategy>[] = [
    { label: 'Feature extraction, then fine-tuning', description: 'recommended', detail: 'First train only the new head on a frozen base, then unfreeze the top of the base with a smaller learning rate.', value: 'both' },
    { label: 'Feature extraction only (freeze all)', description: 'fastest', detail: 'The base stays frozen; only the new head trains. Features are computed once and cached.', value: 'feature-extraction' },
    { label: 'Fine-tuning only', detail: 'Train the new head and the top of the base together from the start.', value: 'fine-tune' },
  ];
  const result = await pickStep(ctx.frame, 'Training strategy', items, (i) => i.value === ctx.answers.strategy);
  return outcome(result, (item) => void (ctx.answers.strategy = item.value));
}

async function unfreezeStep(ctx: StepContext): Promise<StepOutcome> {
  const items: Item<TrainableSpec>[] = [
    { label: 'Unfreeze the top 2 blocks', description: 'recommended', value: { topBlocks: 2 } },
    { label: 'Unfreeze the top block', value: { topBlocks: 1 } },
    { label: 'Unfreeze the last N layers…', value: { topLayers: 0 } },
    { label: 'Unfreeze all layers', description: 'slow on a CPU; needs a small learning rate', value: { all: true } },
  ];
  const current = JSON.stringify(ctx.answers.unfreeze ?? DEFAULTS.unfreeze);
  const result = await pickStep(ctx.frame, 'Which layers of the base train during fine-tuning (the Layers view can change this later)', items, (i) => JSON.stringify(i.value) === current || (current.includes('topLayers') && 'topLayers' in i.value!));
  return outcome(result, (item) => void (ctx.answers.unfreeze = item.value));
}

function numberStep(key: 'epochs' | 'fineTuneEpochs' | 'batchSize', prompt: string, fallback: (a: WizardAnswers) => number, max: number) {
  return async (ctx: StepContext): Promise<StepOutcome> => {
    const result = await inputStep(ctx.frame, prompt, String(ctx.answers[key] ?? fallback(ctx.answers)), (t) => checkInteger(t, 1, max));
    return outcome(result, (text) => void (ctx.answers[key] = Number(text)));
  };
}

function rateStep(key: 'learningRate' | 'fineTuneLearningRate', prompt: string, fallback: number) {
  return async (ctx: StepContext): Promise<StepOutcome> => {
    const result = await inputStep(ctx.frame, prompt, String(ctx.answers[key] ?? fallback), checkLearningRate);
    return outcome(result, (text) => void (ctx.answers[key] = Number(text)));
  };
}

async function unfreezeCountStep(ctx: StepContext): Promise<StepOutcome> {
  const result = await inputStep(ctx.frame, 'How many of the last layers of the base train during fine-tuning?', '20', (t) => checkInteger(t, 1, 10_000));
  return outcome(result, (text) => void (ctx.answers.unfreeze = { topLayers: Number(text) }));
}

async function nameStep(ctx: StepContext): Promise<StepOutcome> {
  const fallback = basename(ctx.answers.dataRoot ?? 'experiment').replace(/[^\p{L}\p{N}._-]+/gu, '-');
  const exists = async (name: string) => vscode.workspace.fs.stat(ctx.experimentPath(name)).then(() => true, () => false);
  const check = checkName;
  const where = vscode.workspace.asRelativePath(ctx.experimentPath('<name>'));
  let result = await inputStep(ctx.frame, `Experiment name (saved as ${where})`, ctx.answers.name ?? fallback, check);
  while (result.kind === 'value' && (await exists(result.value))) {
    const overwrite = await vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(ctx.experimentPath(result.value))} already exists.`, { modal: true }, 'Overwrite');
    if (overwrite === 'Overwrite') break;
    result = await inputStep(ctx.frame, 'Choose another name', result.value, check);
  }
  return outcome(result, (text) => void (ctx.answers.name = text));
}

export const STEPS: Record<StepId, (ctx: StepContext) => Promise<StepOutcome>> = {
  dataset: datasetStep,
  scan: scanStep,
  base: baseStep,
  inputSize: inputSizeStep,
  strategy: strategyStep,
  unfreeze: unfreezeStep,
  unfreezeCount: unfreezeCountStep,
  epochs: numberStep('epochs', 'Epochs of feature extraction (the frozen base; cheap: features are cached)', () => DEFAULTS.epochs, 1000),
  learningRate: rateStep('learningRate', 'Learning rate of feature extraction (Adam)', DEFAULTS.learningRate),
  fineTuneEpochs: numberStep('fineTuneEpochs', 'Epochs of fine-tuning', (a) => defaultFineTuneEpochs(a.epochs), 1000),
  fineTuneLearningRate: rateStep('fineTuneLearningRate', 'Learning rate of fine-tuning (about a tenth of the first phase)', DEFAULTS.fineTuneLearningRate),
  batchSize: numberStep('batchSize', 'Batch size', (a) => defaultBatchSize(trainImageCount(a.scan)), 1024),
  name: nameStep,
};
