// The New Experiment wizard without its UI: which steps exist for the answers so far, Back, defaults, validation,
// and the experiment the answers make. No vscode import: unit-tested.
import { basename, dirname, extname, isAbsolute, relative, sep } from 'node:path';
import type { PhaseSpec, TextColumn, TrainableSpec } from '../../protocol/experiment';
import type { ScanDatasetResult } from '../../protocol/host';
import { EXPERIMENT_VERSION } from '../../shared/catalogRenames';
import { DEFAULT_RECIPE, defaultFineTuneEpochs as fineTuneEpochsFor, recipePhases } from '../../shared/recipe';
import { PREPROCESSING_MEANING, PREPROCESSINGS, type Preprocessing, type PreprocessingChoice } from '../../shared/preprocessing';
import { findCatalogEntry } from '../../shared/catalog';
import { splitShares } from '../../engine/data/split';
import { isTextFile, type DatasetKind } from './datasetCandidates';

export type Strategy = 'both' | 'feature-extraction' | 'fine-tune';
/** Quick: dataset, base, then Create with every other answer at its default; full: every step. */
export type SetupPath = 'quick' | 'full';

export type DetectedColumns = NonNullable<ScanDatasetResult['columns']> & { root: string };

export interface WizardAnswers {
  path?: SetupPath;
  /** The command was run on a dataset: no dataset step. */
  datasetGiven?: boolean;
  /** A folder of class folders, or (text) a CSV/TSV/JSONL file. */
  dataRoot?: string;
  kind?: DatasetKind;
  /** Text files: the columns a first scan found, offered by the column steps. */
  detectedColumns?: DetectedColumns;
  textColumn?: TextColumn;
  labelColumn?: TextColumn;
  scan?: ScanDatasetResult;
  base?: string;
  /** A model file's block count, read when it was chosen: fine-tuning cannot unfreeze more. */
  baseBlocks?: number;
  /** A model file's pixel range as the host detected it on this dataset (catalog bases know theirs). */
  detectedPreprocessing?: PreprocessingChoice;
  /** The user's pick; written to the experiment only when it differs from what was detected. */
  preprocessing?: Preprocessing;
  inputSize?: number;
  /** Text: tokens per text. */
  maxLength?: number;
  strategy?: Strategy;
  /** Which base layers the fine-tuning phase trains; `{ topLayers: 0 }` means "ask how many". */
  unfreeze?: TrainableSpec;
  epochs?: number;
  learningRate?: number;
  fineTuneEpochs?: number;
  fineTuneLearningRate?: number;
  batchSize?: number;
  name?: string;
}

export type StepId =
  | 'path' | 'create' | 'dataset' | 'textColumn' | 'labelColumn' | 'scan' | 'base' | 'preprocessing' | 'inputSize' | 'maxLength' | 'strategy' | 'unfreeze' | 'unfreezeCount'
  | 'epochs' | 'learningRate' | 'fineTuneEpochs' | 'fineTuneLearningRate' | 'batchSize' | 'name';

/** Every wizard experiment stops a phase whose validation loss stopped falling, on its best epoch's weights. */
export const EARLY_STOPPING = DEFAULT_RECIPE.earlyStopping;
/** Said on the epoch steps, so a run that ends at 5 of 40 epochs surprises no one. */
export const EARLY_STOPPING_NOTE = `at most: early stopping is on — a phase ends after ${EARLY_STOPPING.patience} epochs without a lower validation loss and keeps its best epoch's weights`;

export const DEFAULTS = { epochs: DEFAULT_RECIPE.headEpochs, learningRate: DEFAULT_RECIPE.headLearningRate, fineTuneLearningRate: DEFAULT_RECIPE.fineTuneLearningRate, unfreeze: DEFAULT_RECIPE.unfreeze, valSplit: DEFAULT_RECIPE.valSplit, maxLength: 128 };
/** A BERT block is a whole encoder layer (8 weighted sub-layers): one is already a real fine-tune on a CPU. */
const TEXT_UNFREEZE: TrainableSpec = { topBlocks: 1 };

export const isText = (a: WizardAnswers) => a.kind === 'text';
/** Whether a spec unfreezes no more blocks than the base has (unknown counts fit: catalog bases all have enough). */
export const fitsBase = (spec: TrainableSpec, a: WizardAnswers) => !('topBlocks' in spec) || spec.topBlocks <= (a.baseBlocks ?? Infinity);
export const defaultUnfreeze = (a: WizardAnswers): TrainableSpec =>
  isText(a) ? TEXT_UNFREEZE : fitsBase(DEFAULTS.unfreeze, a) ? DEFAULTS.unfreeze : { topBlocks: 1 };
/** Only a text file has columns to choose; class folders of .txt files do not. */
const asksColumns = (a: WizardAnswers) => isText(a) && a.dataRoot !== undefined && isTextFile(a.dataRoot);

const finesTune = (a: WizardAnswers) => a.strategy !== 'feature-extraction';
const extractsFeatures = (a: WizardAnswers) => a.strategy !== 'fine-tune';
export const asksLayerCount = (spec: TrainableSpec | undefined) => spec !== undefined && 'topLayers' in spec && spec.topLayers === 0;

/** The steps for these answers, in order; the path and the strategy add or remove later steps. */
export function stepsFor(answers: WizardAnswers): StepId[] {
  const first: StepId[] = ['path', ...(answers.datasetGiven ? [] : (['dataset'] as const)), ...(asksColumns(answers) ? (['textColumn', 'labelColumn'] as const) : []), 'scan', 'base'];
  if (answers.path === 'quick') return [...first, 'create'];
  return [
    ...first, ...(answers.detectedPreprocessing ? (['preprocessing'] as const) : []), isText(answers) ? 'maxLength' : 'inputSize', 'strategy',
    ...(finesTune(answers) ? (['unfreeze'] as const) : []),
    ...(finesTune(answers) && !isText(answers) && asksLayerCount(answers.unfreeze) ? (['unfreezeCount'] as const) : []),
    ...(extractsFeatures(answers) ? (['epochs', 'learningRate'] as const) : []),
    ...(finesTune(answers) ? (['fineTuneEpochs', 'fineTuneLearningRate'] as const) : []),
    'batchSize', 'name',
  ];
}

/** Forward and Back through the steps; Back returns to the step actually shown before, whatever changed since. */
export class WizardNavigator {
  private readonly history: StepId[] = [];

  constructor(public current: StepId = 'path') {}

  /**
   * The next step, or undefined when the answers are complete. A step the answers have just removed (Quick setup's
   * Create, when it switches to the full path) is left out of Back: the path goes on after the last step still in it.
   */
  next(answers: WizardAnswers): StepId | undefined {
    const steps = stepsFor(answers);
    const kept = steps.includes(this.current);
    const from = kept ? this.current : [...this.history].reverse().find((s) => steps.includes(s));
    const following = steps[from ? steps.indexOf(from) + 1 : 0];
    if (following) {
      if (kept) this.history.push(this.current);
      this.current = following;
    }
    return following;
  }

  get canGoBack(): boolean {
    return this.history.length > 0;
  }

  back(): StepId {
    this.current = this.history.pop() ?? this.current;
    return this.current;
  }

  /** "3/13" for the title; the total follows the answers so far — both totals ("1/5 or 13") while the path is unchosen. */
  position(answers: WizardAnswers): string {
    const steps = stepsFor(answers);
    const at = steps.indexOf(this.current) + 1;
    if (answers.path !== undefined) return `${at}/${steps.length}`;
    return `${at}/${stepsFor({ ...answers, path: 'quick' }).length} or ${stepsFor({ ...answers, path: 'full' }).length}`;
  }
}

/** Sets the dataset; a change of kind forgets the answers that only fit the other kind (the base above all). */
export function chooseDataset(answers: WizardAnswers, root: string, kind: DatasetKind): void {
  if (root !== answers.dataRoot) Object.assign(answers, { detectedColumns: undefined, textColumn: undefined, labelColumn: undefined, scan: undefined });
  if (kind !== answers.kind) Object.assign(answers, { base: undefined, baseBlocks: undefined, detectedPreprocessing: undefined, preprocessing: undefined, inputSize: undefined, maxLength: undefined, unfreeze: undefined });
  answers.dataRoot = root;
  answers.kind = kind;
}

export interface ColumnChoice {
  value: TextColumn;
  label: string;
  detected: boolean;
  /** What the column holds in the first record. */
  example: string;
}

/** The columns offered for the text (or the label: any but the text's), the scan's own guess marked. */
export function columnChoices(detected: DetectedColumns, role: 'text' | 'label', textColumn?: TextColumn): ColumnChoice[] {
  const guess = role === 'text' ? detected.textColumn : detected.labelColumn;
  return detected.choices
    .map((value, i) => ({ value, label: typeof value === 'number' ? `column ${value}` : value, detected: value === guess, example: detected.examples[i] ?? '' }))
    .filter((c) => role === 'text' || c.value !== textColumn);
}

export interface PreprocessingItem {
  value: Preprocessing;
  label: string;
  description: string;
  /** The detected value's reason; the others' meaning. */
  detail: string;
}

/** Every pixel range, the detected one first and marked (as a guess when nothing decided). */
export function preprocessingChoices(detected: PreprocessingChoice): PreprocessingItem[] {
  const ordered = [detected.value, ...PREPROCESSINGS.filter((v) => v !== detected.value)];
  return ordered.map((value) => value === detected.value
    ? { value, label: value, description: detected.guess ? 'not detected: a guess' : 'detected', detail: detected.reason }
    : { value, label: value, description: '', detail: PREPROCESSING_MEANING[value] });
}

/** The experiment name suggested for a dataset: its folder name, or its file name without the extension. */
export function defaultName(dataRoot: string | undefined): string {
  const path = dataRoot ?? 'experiment';
  return basename(path, extname(path)).replace(/[^\p{L}\p{N}._-]+/gu, '-');
}

export function trainImageCount(scan: ScanDatasetResult | undefined): number {
  return scan ? Object.values(scan.counts).reduce((sum, c) => sum + c.train, 0) : 0;
}

/** Fewer validation examples than these (in all, or in a class) make accuracy jump in big steps and early stopping react to noise. */
export const SMALL_VALIDATION = { total: 20, perClass: 5 };

/** Validation examples per class as the run will have them: the val folders, or the share the split holds out. */
export function validationCounts(scan: ScanDatasetResult): number[] {
  const counts = Object.values(scan.counts);
  if (scan.layout === 'split-folders') return counts.map((c) => c.val);
  return counts.map((c) => splitShares(c.train + c.val + c.test, { val: DEFAULTS.valSplit, test: 0 }).val);
}

export function validationCount(scan: ScanDatasetResult): number {
  return validationCounts(scan).reduce((sum, n) => sum + n, 0);
}

/** Every example in the dataset: what the first pass decodes and runs the base on. */
export function exampleCount(scan: ScanDatasetResult): number {
  return Object.values(scan.counts).reduce((sum, c) => sum + c.train + c.val + c.test, 0);
}

/** A warning when the validation set is too small to judge a run by; undefined when it is large enough. */
export function smallValidationWarning(scan: ScanDatasetResult, noun: string): string | undefined {
  const perClass = validationCounts(scan);
  const n = perClass.reduce((sum, c) => sum + c, 0);
  const fewest = Math.min(...perClass);
  if (n >= SMALL_VALIDATION.total && fewest >= SMALL_VALIDATION.perClass) return undefined;
  const [what, count] = n >= SMALL_VALIDATION.total ? [`${fewest} validation ${noun} in the smallest class: its accuracy`, fewest] : [`about ${n} validation ${noun}: accuracy`, n];
  const steps = count > 0 ? ` moves in steps of 1/${count} (${Math.round(100 / count)}%)` : ' cannot be measured';
  const fix = scan.layout === 'split-folders' ? `move more ${noun} into val/` : `hold out more (data.split.val, now ${DEFAULTS.valSplit}) or give a val/ folder`;
  return `Only ${what}${steps}, and early stopping may react to noise. Add ${noun}, ${fix}.`;
}

/** Small datasets get small batches, so an epoch still has several steps. */
export function defaultBatchSize(trainImages: number): number {
  return trainImages >= 256 ? 32 : trainImages >= 64 ? 16 : 8;
}

export function defaultFineTuneEpochs(epochs: number | undefined): number {
  return fineTuneEpochsFor(epochs ?? DEFAULTS.epochs);
}

/** BERT's own limit, assumed for hub models until training reads their config.json. */
export const BERT_POSITIONS = 512;

/** Tokens per text to offer, the recommended first: those the base has positions for, else its own limit. */
export function tokenLengths(maxPositions: number): number[] {
  const fitting = [128, 64, 256, 512].filter((n) => n <= maxPositions);
  return fitting.length > 0 ? fitting : [maxPositions];
}

/** Input sizes to offer: the model's own first, then smaller ones that train much faster on a CPU. */
export function inputSizeChoices(entry: { defaultInputSize: number; minInputSize: number; maxInputSize: number }): number[] {
  const sizes = [entry.defaultInputSize, 224, 160, 128, 96, 64].filter((s) => s >= entry.minInputSize && s <= entry.maxInputSize && s <= entry.defaultInputSize);
  return [...new Set(sizes)];
}

/** The answers the full path prefills (Enter accepts them); Quick setup writes them unasked. */
type Defaulted = 'preprocessing' | 'inputSize' | 'maxLength' | 'strategy' | 'unfreeze' | 'epochs' | 'learningRate' | 'fineTuneEpochs' | 'fineTuneLearningRate' | 'batchSize' | 'name';

type Defaults = { [K in Exclude<Defaulted, 'name'>]: (a: WizardAnswers) => WizardAnswers[K] } & { name: (a: WizardAnswers) => string };

export const STEP_DEFAULTS: Defaults = {
  preprocessing: (a) => a.detectedPreprocessing?.value,
  // a model file's own size: undefined leaves inputSize out of the experiment
  inputSize: (a) => {
    const entry = findCatalogEntry(a.base ?? '');
    return entry ? inputSizeChoices(entry)[0] : undefined;
  },
  maxLength: () => DEFAULTS.maxLength,
  strategy: () => 'both',
  unfreeze: defaultUnfreeze,
  epochs: () => DEFAULTS.epochs,
  learningRate: () => DEFAULTS.learningRate,
  fineTuneEpochs: (a) => defaultFineTuneEpochs(a.epochs),
  fineTuneLearningRate: () => DEFAULTS.fineTuneLearningRate,
  batchSize: (a) => defaultBatchSize(trainImageCount(a.scan)),
  name: (a) => defaultName(a.dataRoot),
};

const isDefaulted = (step: StepId): step is Defaulted => step in STEP_DEFAULTS;

/** The answers with every question of the full path left unanswered filled as the full path prefills it. */
export function withDefaults(answers: WizardAnswers): WizardAnswers {
  const filled: WizardAnswers = { ...answers, path: 'full' };
  // each default may change the steps after it (the strategy does), so the list is read again every time
  for (let i = 0; i < stepsFor(filled).length; i++) {
    const step = stepsFor(filled)[i];
    if (isDefaulted(step) && filled[step] === undefined) Object.assign(filled, { [step]: STEP_DEFAULTS[step](filled) });
  }
  return { ...filled, path: answers.path };
}

/** An error message, or undefined when `text` is a whole number in [min, max]. */
export function checkInteger(text: string, min: number, max: number): string | undefined {
  const n = Number(text.trim());
  return Number.isInteger(n) && n >= min && n <= max ? undefined : `Enter a whole number from ${min} to ${max}.`;
}

export function checkLearningRate(text: string): string | undefined {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(n) && n > 0 && n <= 1 ? undefined : 'Enter a number above 0 and at most 1, e.g. 0.001 or 1e-4.';
}

/** Names become file names (`<name>.experiment.json`): letters, digits, '-', '_' and '.' only. */
export function checkName(text: string): string | undefined {
  return /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,79}$/u.test(text.trim()) ? undefined : 'Use letters, digits, "-", "_" or "." (start with a letter or digit, at most 80).';
}

function phases(a: Required<Pick<WizardAnswers, 'batchSize'>> & WizardAnswers): PhaseSpec[] {
  return recipePhases({
    head: extractsFeatures(a), fineTune: finesTune(a), epochs: a.epochs ?? DEFAULTS.epochs, fineTuneEpochs: a.fineTuneEpochs, batchSize: a.batchSize,
    learningRate: a.learningRate, fineTuneLearningRate: a.fineTuneLearningRate, unfreeze: a.unfreeze ?? defaultUnfreeze(a),
  });
}

const relativeTo = (experimentFile: string, path: string) => relative(dirname(experimentFile), path).split(sep).join('/');

/** A base model file or folder, relative like the data; './' keeps it a path the engine resolves, never a catalog id. */
function baseRef(base: string, experimentFile: string): string {
  if (!isAbsolute(base)) return base;
  const path = relativeTo(experimentFile, base);
  return /^\.\.(\/|$)/.test(path) || isAbsolute(path) ? path : `./${path}`; // absolute: another drive
}

/** Only a pick that differs from detection is written: otherwise the run detects it again and records why. */
function chosenPreprocessing(a: WizardAnswers): { preprocessing?: Preprocessing } {
  return a.preprocessing && a.preprocessing !== a.detectedPreprocessing?.value ? { preprocessing: a.preprocessing } : {};
}

/** The experiment file's content; data and base paths are relative to the file so the folder can move as a whole. */
export function buildExperiment(answers: WizardAnswers, experimentFile: string): Record<string, unknown> {
  if (!answers.dataRoot || !answers.base || !answers.name) throw new Error('the wizard needs a dataset, a base model and a name');
  const root = relativeTo(experimentFile, answers.dataRoot) || '.';
  const split = { val: DEFAULTS.valSplit, test: 0 };
  const columns = answers.textColumn !== undefined && answers.labelColumn !== undefined ? { textColumn: answers.textColumn, labelColumn: answers.labelColumn } : {};
  return {
    version: EXPERIMENT_VERSION,
    name: answers.name,
    seed: DEFAULT_RECIPE.seed,
    data: isText(answers)
      ? { kind: 'text', root, ...columns, split, maxLength: answers.maxLength ?? DEFAULTS.maxLength }
      : { root, split, ...(answers.inputSize ? { inputSize: answers.inputSize } : {}) },
    base: { model: baseRef(answers.base, experimentFile), ...chosenPreprocessing(answers) },
    head: isText(answers) ? { pooling: 'mean', hiddenUnits: 0, dropout: 0.1 } : { pooling: 'avg', hiddenUnits: 0, dropout: 0.2 },
    phases: phases({ ...answers, batchSize: answers.batchSize ?? defaultBatchSize(trainImageCount(answers.scan)) }),
    callbacks: { earlyStopping: { ...EARLY_STOPPING } },
  };
}
