// The run folder's layout: every file and folder name a run writes, in one place so writers (engine) and readers
// (extension, CLI, webviews) agree. Names only — no file system here.

/** Folder beside an experiment file that holds its runs, one folder per run. */
export const RUNS_DIR = 'runs';

export const STATE_FILE = 'state.json';
export const EXPERIMENT_FILE = 'experiment.json';
export const METRICS_FILE = 'metrics.jsonl';
export const CHECKPOINTS_DIR = 'checkpoints';
/** Held while a process trains in the run folder, so a second one does not write into it too. */
export const LOCK_FILE = 'run.lock';
/** Class names in label order, written when the run opens. */
export const LABELS_FILE = 'labels.json';
export const EVALUATION_FILE = 'evaluation.json';
/** Evaluations on other folders, one file each, kept beside the run's own evaluation.json. */
export const EVALUATIONS_DIR = 'evaluations';
/** TensorBoard event files, one per training of the run (TensorBoard finds them by this infix), named as TensorFlow names them. */
export const TENSORBOARD_EVENTS_PREFIX = 'events.out.tfevents';
export const tensorboardEventsFile = (unixSeconds: number, host: string, pid: number, sequence: number) =>
  `${TENSORBOARD_EVENTS_PREFIX}.${unixSeconds}.${host}.${pid}.${sequence}`;
/** Inputs the run could not read (bad images, bad rows), with the reason. */
export const SKIPPED_FILE = 'skipped.json';
/** What a text dataset's reader found wrong (bad rows, empty classes). */
export const DATA_PROBLEMS_FILE = 'data-problems.json';

/** The exported model a finished run leaves, and the names inside it. */
export const MODEL_DIR = 'model';
export const MODEL_FILES = {
  /** Image runs: one flat tfjs Layers model. */
  layersModel: 'model.json',
  labels: 'labels.json',
  /** Image runs: input size, preprocessing and base of the exported model. */
  preprocessing: 'preprocessing.json',
  /** Text runs: the card naming the base checkpoint by fingerprint, with the head and trained encoder weights. */
  textCard: 'text-model.json',
  textHead: 'head.safetensors',
  textEncoder: 'encoder-trained.safetensors',
} as const;

/** Written into every folder export (tfjs, hf): what it lists is ours to replace, anything else in the folder is not. */
export const EXPORT_MARKER = '.transfer-lab-export.json';

export type RunKind = 'image' | 'text';

/** The file in MODEL_DIR whose presence means the run has a usable model (and says which kind it is). */
export const MODEL_MARKER: Record<RunKind, string> = { image: MODEL_FILES.layersModel, text: MODEL_FILES.textCard };
