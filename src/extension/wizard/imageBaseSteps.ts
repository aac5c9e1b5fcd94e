// The image wizard's base model steps: a catalog model or a model file (Keras .h5/.keras, tfjs model.json), the pixel
// range a model file was trained on (detected by the host, changeable), then the input size.
import * as vscode from 'vscode';
import { CATALOG, findCatalogEntry } from '../../shared/catalog';
import type { DefaultBase } from '../../engine/models/defaultBase';
import { Requests } from '../../protocol/host';
import type { Preprocessing, PreprocessingChoice } from '../../shared/preprocessing';
import { errorText } from '../notify';
import { WORKSPACE_EXCLUDE } from './datasetCandidates';
import { blockCount, MODEL_FILE_FILTER, MODEL_FILE_GLOB, modelFileKind, modelFiles } from './modelFiles';
import { pickStep } from './quickInput';
import { outcome, separator, type Item, type StepContext, type StepOutcome } from './stepContext';
import { estimateFor } from './guidance';
import { exampleCount, inputSizeChoices, preprocessingChoices, STEP_DEFAULTS } from './wizardModel';

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}

/** `browse` opens the file dialog; any other value is the base. */
type BaseChoice = { ref: string } | 'browse';

/** The default base first; its row carries the one-line note of why it is the default (and what that costs). */
function catalogItems(defaultBase: DefaultBase, estimate: (base: string) => string | undefined): Item<BaseChoice>[] {
  const entries = [...CATALOG].sort((a, b) => Number(b.id === defaultBase.base) - Number(a.id === defaultBase.base));
  return entries.map((e) => ({
    label: e.displayName,
    description: [`${e.defaultInputSize}px`, estimate(e.id), `${(e.params / 1e6).toFixed(2)} M parameters`, megabytes(e.sizeOnDiskBytes)].filter(Boolean).join(' · '),
    detail: e.id === defaultBase.base
      ? `$(star) ${defaultBase.note}`
      : e.source.kind === 'nsfwjs'
        // what decides the choice comes first: the row is cut at the picker's width (the whole origin is in the run log)
        ? '$(check) Offline: ships with Transfer Lab · NSFW-trained, weaker features than ImageNet'
        : '$(cloud-download) ImageNet weights: downloaded on first use, then cached',
    value: { ref: e.id },
  }));
}

export async function imageBaseStep(ctx: StepContext): Promise<StepOutcome> {
  let current = ctx.answers.base ?? '';
  const found = vscode.workspace.findFiles(MODEL_FILE_GLOB, WORKSPACE_EXCLUDE, 2000).then((uris) => modelFiles(uris.map((u) => u.fsPath)), () => []);
  const items = Promise.all([found, ctx.defaultBase, ctx.machineSpeed]).then(([files, defaultBase, speed]): Item<BaseChoice>[] => {
    current ||= defaultBase.base;
    const browsed = !findCatalogEntry(current) && !files.some((f) => f.file === current);
    return [
      ...catalogItems(defaultBase, (base) => estimateFor(ctx.answers, speed, base, findCatalogEntry(base)!.defaultInputSize)),
      ...(files.length ? [separator('Model files in this workspace')] : []),
      ...files.map(({ file, kind }): Item<BaseChoice> => ({ label: `$(file) ${vscode.workspace.asRelativePath(file)}`, description: kind, value: { ref: file } })),
      {
        label: '$(go-to-file) Browse for a model file…', description: browsed ? vscode.workspace.asRelativePath(current) : undefined,
        detail: 'A Keras model saved whole (.keras or .h5) or a tfjs Layers model.json', value: 'browse',
      },
    ];
  });
  const active = (i: Item<BaseChoice>) => (typeof i.value === 'object' ? i.value.ref === current : !findCatalogEntry(current));
  const result = await pickStep(ctx.frame, `Choose the pre-trained base model${timesSay(ctx)}`, items, active);
  if (result.kind !== 'value') return result.kind;
  const choice = result.value.value!;
  const ref = choice === 'browse' ? await browseModelFile() : choice.ref;
  if (!ref) return 'again';
  const file = findCatalogEntry(ref) ? undefined : await readModelFile(ctx, ref);
  if (file === null) return 'again';
  const changed = ref !== ctx.answers.base;
  Object.assign(ctx.answers, { base: ref, baseBlocks: file?.blocks, detectedPreprocessing: file?.preprocessing, ...(changed ? { preprocessing: undefined } : {}) });
  return 'next';
}

async function browseModelFile(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectFiles: true, filters: MODEL_FILE_FILTER, openLabel: 'Use as Base Model', title: 'Base model file' });
  if (!picked?.[0]) return undefined;
  if (modelFileKind(picked[0].fsPath)) return picked[0].fsPath;
  void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(picked[0])} is not a model file: choose a .keras or .h5 model saved whole, or a tfjs model.json.`);
  return undefined;
}

/**
 * The host reads the file now, so a weights-only or unsupported file is refused here rather than at training (null
 * then), and measures which pixel range it was trained on against the chosen dataset's images.
 */
async function readModelFile(ctx: StepContext, file: string): Promise<{ blocks: number; preprocessing?: PreprocessingChoice } | null> {
  const name = vscode.workspace.asRelativePath(file);
  try {
    const { layers, preprocessingChoice } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${name}` }, () =>
      ctx.supervisor.call((c) => c.sendRequest(Requests.inspectModel, { model: file, probeData: ctx.answers.dataRoot })));
    return { blocks: blockCount(layers), preprocessing: preprocessingChoice };
  } catch (error) {
    void vscode.window.showErrorMessage(`Cannot use ${name} as the base: ${errorText(error)}`);
    return null;
  }
}

/** A model file's pixel range: what the host detected first (a guess says so), every other range to change it to. */
export async function preprocessingStep(ctx: StepContext): Promise<StepOutcome> {
  const detected = ctx.answers.detectedPreprocessing!;
  const items = preprocessingChoices(detected).map((choice): Item<Preprocessing> => ({ ...choice, value: choice.value }));
  const title = detected.guess
    ? `Pixel range the model was trained on — not detected, ${detected.value} is a guess: pick the one its training used`
    : 'Pixel range the model was trained on (detected; change it only if you know better)';
  const result = await pickStep(ctx.frame, title, items, (i) => i.value === (ctx.answers.preprocessing ?? detected.value));
  return outcome(result, (item) => void (ctx.answers.preprocessing = item.value));
}

/** What the estimates on a step measure, for its title; nothing when the dataset has no count. */
function timesSay(ctx: StepContext): string {
  return ctx.answers.scan ? ` (times: one pass over the ${exampleCount(ctx.answers.scan)} images; later epochs read cached features)` : '';
}

export async function inputSizeStep(ctx: StepContext): Promise<StepOutcome> {
  const entry = findCatalogEntry(ctx.answers.base ?? '');
  const items = ctx.machineSpeed.then((speed) => {
    const sizes = (entry ? inputSizeChoices(entry) : [224, 160, 128, 96, 64]).map((size, i): Item<number> => ({
      label: `${size} × ${size}`, value: size,
      description: [i === 0 && entry ? "the model's own size: best accuracy" : size <= 96 ? 'much faster on a CPU' : 'faster on a CPU', estimateFor(ctx.answers, speed, undefined, size)].filter(Boolean).join(' · '),
    }));
    // A model file knows its own size; choosing it leaves inputSize out of the experiment.
    const own: Item<number>[] = entry ? [] : [{ label: "The model's own size", description: 'as saved in the file (224 if it takes any size)' }];
    return [...own, ...sizes];
  });
  const current = ctx.answers.inputSize ?? STEP_DEFAULTS.inputSize(ctx.answers);
  const result = await pickStep(ctx.frame, `Image size the model sees (smaller trains much faster on a CPU)${entry ? timesSay(ctx) : ''}`, items, (i) => i.value === current);
  return outcome(result, (item) => void (ctx.answers.inputSize = item.value));
}
