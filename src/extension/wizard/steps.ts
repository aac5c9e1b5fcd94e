// The New Experiment wizard's steps as VS Code inputs; each fills its answer and says whether to go on, back or stop.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { TrainableSpec } from '../../protocol/experiment';
import { Requests, type ScanDatasetParams, type ScanDatasetResult } from '../../protocol/host';
import { errorText } from '../notify';
import { datasetCandidates, datasetKind, IMAGE_GLOB, TEXT_FILE_FILTER, TEXT_GLOB, WORKSPACE_EXCLUDE, type DatasetCandidate } from './datasetCandidates';
import { imageBaseStep, inputSizeStep, preprocessingStep } from './imageBaseSteps';
import { inputStep, pickStep } from './quickInput';
import { outcome, separator, type Item, type StepContext, type StepOutcome } from './stepContext';
import { labelColumnStep, maxLengthStep, TEXT_UNFREEZE_ITEMS, textBaseStep, textColumnStep } from './textSteps';
import { blockNote } from './guidance';
import { createStep, pathStep } from './quickSteps';
import {
  checkInteger, checkLearningRate, checkName, chooseDataset, DEFAULTS, EARLY_STOPPING_NOTE, exampleCount, smallValidationWarning,
  fitsBase, isText, STEP_DEFAULTS, type StepId, type Strategy, type WizardAnswers,
} from './wizardModel';

export type { StepContext } from './stepContext';

type DatasetChoice = { root: string } | 'folder' | 'file';

function candidateItem(c: DatasetCandidate): Item<DatasetChoice> {
  const icon = c.kind === 'image' ? '$(file-media)' : c.classes === undefined ? '$(table)' : '$(folder)';
  const what = c.classes === undefined ? 'labelled texts: choose the text and label columns next' : `${c.classes} classes · ${c.files} ${c.kind === 'text' ? 'texts' : 'images'}`;
  return { label: `${icon} ${vscode.workspace.asRelativePath(c.root)}`, description: what, value: { root: c.root } };
}

async function browse(kind: 'folder' | 'file'): Promise<string | undefined> {
  const folder = kind === 'folder';
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: folder, canSelectFiles: !folder, filters: folder ? undefined : TEXT_FILE_FILTER, openLabel: 'Use as Dataset',
    title: folder ? 'Dataset folder (one sub-folder per class)' : 'Labelled texts (a text and a label column)',
  });
  return picked?.[0]?.fsPath;
}

async function datasetStep(ctx: StepContext): Promise<StepOutcome> {
  const find = (glob: string) => vscode.workspace.findFiles(glob, WORKSPACE_EXCLUDE, 20_000).then((uris) => uris.map((u) => u.fsPath));
  const items = Promise.all([find(IMAGE_GLOB), find(TEXT_GLOB)]).then(([images, texts]): Item<DatasetChoice>[] => [
    ...datasetCandidates(images, texts).map(candidateItem),
    { label: '$(folder-opened) Browse for a folder…', description: 'one sub-folder of images (or of .txt files) per class', value: 'folder' },
    { label: '$(go-to-file) Browse for a file…', description: 'a CSV, TSV or JSONL file with a text and a label column', value: 'file' },
  ]);
  const placeholder = 'Choose the dataset: class folders of images or .txt files, or a CSV/TSV/JSONL file';
  const result = await pickStep(ctx.frame, placeholder, items, (i) => typeof i.value === 'object' && i.value.root === ctx.answers.dataRoot);
  if (result.kind !== 'value') return result.kind;
  const choice = result.value.value!;
  const root = typeof choice === 'object' ? choice.root : await browse(choice);
  if (!root) return 'again';
  chooseDataset(ctx.answers, root, await datasetKind(root));
  return 'next';
}

function scanItems(scan: ScanDatasetResult, text: boolean): Item<boolean>[] {
  const noun = text ? 'texts' : 'images';
  const examples = exampleCount(scan);
  const heldOut = `${DEFAULTS.valSplit * 100}% held out for validation`;
  const layout = scan.layout === 'split-folders' ? 'train/val/test folders'
    : text && scan.layout !== 'folder' ? `${scan.layout.toUpperCase()} file (${heldOut})` // its columns were the two steps before
    : `class folders (${heldOut})`;
  const classes = scan.classes.map((name): Item<boolean> => {
    const c = scan.counts[name];
    const split = scan.layout === 'split-folders' ? ` (train ${c.train} · val ${c.val} · test ${c.test})` : '';
    return { label: `$(${text ? 'tag' : 'folder'}) ${name}`, description: `${c.train + c.val + c.test} ${noun}${split}`, value: true };
  });
  const small = smallValidationWarning(scan, noun);
  const problems = scan.problems.slice(0, 100).map((p): Item<boolean> => ({ label: `$(warning) ${vscode.workspace.asRelativePath(p.path)}`, detail: p.message, value: true }));
  return [
    { label: `$(check) Continue with ${scan.classes.length} classes, ${examples} ${noun}`, detail: `Layout: ${layout}${scan.problems.length ? ` · ${scan.problems.length} problem${scan.problems.length === 1 ? '' : 's'}: skipped ${text ? 'records' : 'files'} or warnings (listed below)` : ''}`, value: true },
    ...(small ? [{ label: '$(warning) Small validation set', detail: small, value: true }] : []),
    ...(scan.classBalance?.defaultWeights === 'balanced' ? [{ label: '$(law) Imbalanced classes: the loss will be weighted "balanced"', detail: scan.classBalance.note, value: true }] : []),
    separator('Classes'), ...classes,
    ...(problems.length ? [separator(`Problems (${scan.problems.length})`), ...problems] : []),
  ];
}

async function scanStep(ctx: StepContext): Promise<StepOutcome> {
  const { dataRoot: root, textColumn, labelColumn } = ctx.answers;
  const text = isText(ctx.answers);
  const params: ScanDatasetParams = text ? { root: root!, kind: 'text', textColumn, labelColumn } : { root: root! };
  const items = ctx.supervisor.call((c) => c.sendRequest(Requests.scanDataset, params)).then(
    (scan): Item<boolean>[] => ((ctx.answers.scan = scan), scanItems(scan, text)),
    (error): Item<boolean>[] => [{ label: '$(arrow-left) Go back', detail: `Cannot use ${root}: ${errorText(error)}`, value: false }],
  );
  const result = await pickStep(ctx.frame, `What the scan of ${basename(root!)} found`, items);
  return outcome(result, (item) => (item.value ? 'next' : 'back'));
}

async function baseStep(ctx: StepContext): Promise<StepOutcome> {
  return isText(ctx.answers) ? textBaseStep(ctx) : imageBaseStep(ctx);
}

async function strategyStep(ctx: StepContext): Promise<StepOutcome> {
  const items: Item<Strategy>[] = [
    { label: 'Feature extraction, then fine-tuning', description: 'recommended', detail: 'Train the head on the frozen base, then the top of the base at a lower rate', value: 'both' },
    { label: 'Feature extraction only', description: 'fastest: the base stays frozen', detail: 'Only the new head trains, on features computed once and cached', value: 'feature-extraction' },
    { label: 'Fine-tuning only', description: 'one phase', detail: 'The new head and the top of the base train together from the start', value: 'fine-tune' },
  ];
  const result = await pickStep(ctx.frame, 'Training strategy', items, (i) => i.value === (ctx.answers.strategy ?? STEP_DEFAULTS.strategy(ctx.answers)));
  return outcome(result, (item) => void (ctx.answers.strategy = item.value));
}

/** Each block count says what a block of the chosen base is; the top ones hold the most task-specific features. */
const imageUnfreezeItems = (a: WizardAnswers): Item<TrainableSpec>[] => [
  { label: 'Unfreeze the top 2 blocks', description: 'recommended', value: { topBlocks: 2 }, detail: blockNote(a, 2) },
  { label: 'Unfreeze the top block', value: { topBlocks: 1 }, detail: blockNote(a, 1) },
  { label: 'Unfreeze the last N layers…', value: { topLayers: 0 } },
  { label: 'Unfreeze all layers', description: 'slow on a CPU; needs a small learning rate', value: { all: true } },
];

async function unfreezeStep(ctx: StepContext): Promise<StepOutcome> {
  const items = isText(ctx.answers) ? TEXT_UNFREEZE_ITEMS : imageUnfreezeItems(ctx.answers).filter((i) => fitsBase(i.value!, ctx.answers));
  const current = JSON.stringify(ctx.answers.unfreeze ?? STEP_DEFAULTS.unfreeze(ctx.answers));
  const result = await pickStep(ctx.frame, 'Which layers of the base train during fine-tuning (the Layers view can change this later)', items, (i) => JSON.stringify(i.value) === current || (current.includes('topLayers') && 'topLayers' in i.value!));
  return outcome(result, (item) => void (ctx.answers.unfreeze = item.value));
}

function numberStep(key: 'epochs' | 'fineTuneEpochs' | 'batchSize', prompt: string, max: number) {
  return async (ctx: StepContext): Promise<StepOutcome> => {
    const result = await inputStep(ctx.frame, prompt, String(ctx.answers[key] ?? STEP_DEFAULTS[key](ctx.answers)), (t) => checkInteger(t, 1, max));
    return outcome(result, (text) => void (ctx.answers[key] = Number(text)));
  };
}

function rateStep(key: 'learningRate' | 'fineTuneLearningRate', prompt: string) {
  return async (ctx: StepContext): Promise<StepOutcome> => {
    const result = await inputStep(ctx.frame, prompt, String(ctx.answers[key] ?? STEP_DEFAULTS[key](ctx.answers)), checkLearningRate);
    return outcome(result, (text) => void (ctx.answers[key] = Number(text)));
  };
}

async function unfreezeCountStep(ctx: StepContext): Promise<StepOutcome> {
  const result = await inputStep(ctx.frame, 'How many of the last layers of the base train during fine-tuning?', '20', (t) => checkInteger(t, 1, 10_000));
  return outcome(result, (text) => void (ctx.answers.unfreeze = { topLayers: Number(text) }));
}

async function nameStep(ctx: StepContext): Promise<StepOutcome> {
  const exists = async (name: string) => vscode.workspace.fs.stat(ctx.experimentPath(name)).then(() => true, () => false);
  const check = checkName;
  const where = vscode.workspace.asRelativePath(ctx.experimentPath('<name>'));
  let result = await inputStep(ctx.frame, `Experiment name (saved as ${where})`, ctx.answers.name ?? STEP_DEFAULTS.name(ctx.answers), check);
  while (result.kind === 'value' && (await exists(result.value))) {
    const overwrite = await vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(ctx.experimentPath(result.value))} already exists.`, { modal: true }, 'Overwrite');
    if (overwrite === 'Overwrite') break;
    result = await inputStep(ctx.frame, 'Choose another name', result.value, check);
  }
  return outcome(result, (text) => void (ctx.answers.name = text));
}

export const STEPS: Record<StepId, (ctx: StepContext) => Promise<StepOutcome>> = {
  dataset: datasetStep,
  textColumn: textColumnStep,
  labelColumn: labelColumnStep,
  scan: scanStep,
  base: baseStep,
  preprocessing: preprocessingStep,
  inputSize: inputSizeStep,
  maxLength: maxLengthStep,
  strategy: strategyStep,
  unfreeze: unfreezeStep,
  unfreezeCount: unfreezeCountStep,
  epochs: numberStep('epochs', `Epochs of feature extraction (the frozen base; cheap: features are cached), ${EARLY_STOPPING_NOTE}`, 1000),
  learningRate: rateStep('learningRate', 'Learning rate of feature extraction (Adam)'),
  fineTuneEpochs: numberStep('fineTuneEpochs', `Epochs of fine-tuning, ${EARLY_STOPPING_NOTE}`, 1000),
  fineTuneLearningRate: rateStep('fineTuneLearningRate', 'Learning rate of fine-tuning (about a tenth of the first phase)'),
  batchSize: numberStep('batchSize', 'Batch size', 1024),
  name: nameStep,
  path: pathStep,
  create: createStep,
};
