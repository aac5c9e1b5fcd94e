// The one channel between a client (CLI, VS Code extension) and the training host: JSON-RPC over the fork IPC pipe.
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { RunStateName } from '../shared/runStates';
import type { EngineChoice, EngineName } from './experiment';
import type { Preprocessing, PreprocessingChoice } from '../shared/preprocessing';

export const PROTOCOL_VERSION = 2;

export type RunStatus = RunStateName;

export interface EngineReport {
  name: EngineName;
  backend: string;
  detail: string;
}

export interface HelloResult {
  pid: number;
  protocolVersion: number;
}

export interface LayerRow {
  index: number;
  name: string;
  className: string;
  outputShape: unknown;
  params: number;
  /** Parameters that can train: BatchNorm's moving statistics never do. */
  trainableParams?: number;
  trainable: boolean;
  block: string;
  inferenceOnly?: boolean;
}

export interface InspectModelParams {
  model: string;
  inputSize?: number;
  featureLayer?: string;
  cacheDir?: string;
  /** Keep the ImageNet classifier (Keras include_top). */
  includeTop?: boolean;
  /** A text base (BERT folder or Hugging Face id); `inputSize` is then the token length. */
  kind?: 'image' | 'text';
  pooling?: 'mean' | 'cls' | 'pooled';
  /** A hub id's branch, tag or commit. */
  revision?: string;
  /** Image models: a folder of class folders whose images decide a model file's preprocessing (batch-norm statistics). */
  probeData?: string;
}

export interface InspectModelResult {
  id: string;
  displayName: string;
  source: string;
  origin: string;
  inputSize: number;
  preprocessing: string;
  /** How `preprocessing` was chosen (catalog, the model, batch-norm statistics, or a guess). */
  preprocessingChoice?: PreprocessingChoice;
  featureLayer: string;
  /** e.g. 'ImageNet (…_notop.h5)', 'nsfwjs checkpoint (offline)', 'random (not downloaded)'. */
  weights: string;
  params: number;
  trainableParams: number;
  layers: LayerRow[];
}

export interface DatasetProblemRow {
  path: string;
  kind: string;
  message: string;
}

export interface ScanDatasetParams {
  root: string;
  /** Text: a CSV/TSV/JSONL file or a folder of .txt class folders. */
  kind?: 'image' | 'text';
  /** A header name or JSON key, or a 0-based index in a file without a header. */
  textColumn?: string | number;
  labelColumn?: string | number;
}

/** How uneven a dataset's classes are, and the class weights an experiment that does not set them trains with. */
export interface ClassBalance {
  /** Largest class count over the smallest (Infinity when a class is empty). */
  ratio: number;
  largest: string;
  smallest: string;
  defaultWeights: 'balanced' | 'none';
  /** One sentence for people, e.g. `imbalanced classes: "a" has 40 examples, 4.0× the 10 of "b" — …`. */
  note: string;
}

export interface ScanDatasetResult {
  root: string;
  layout: string;
  classes: string[];
  counts: Record<string, { train: number; val: number; test: number }>;
  problems: DatasetProblemRow[];
  classBalance?: ClassBalance;
  /** Text files (not class folders): which columns hold the text and the label, how they were chosen, and the others. */
  columns?: {
    text: string | number;
    label: string | number;
    how: string;
    /** What data.textColumn/labelColumn can name, in file order (0-based indices when the file has no header). */
    choices: (string | number)[];
    /** The chosen columns as data.textColumn/labelColumn name them. */
    textColumn: string | number;
    labelColumn: string | number;
    /** Each choice's value in the first record, shortened. */
    examples: string[];
  };
}

export interface TrainParams {
  experimentFile: string;
  /** Defaults to `runs/` beside the experiment file. */
  runsRoot?: string;
  /** Continue this run from its last good checkpoint instead of starting a new one. */
  resumeRunDir?: string;
  cacheDir?: string;
  engine?: EngineChoice;
}

export interface PhaseSummary {
  name: string;
  epochs: number;
  valAccuracy: number;
  valLoss: number;
  trainableParams: number;
  stoppedEarly: boolean;
}

export interface TrainResult {
  runDir: string;
  state: RunStatus;
  engine: EngineReport;
  epochs: number;
  seconds: number;
  valAccuracy: number;
  phases: PhaseSummary[];
  skippedFiles: number;
  message?: string;
  /** The class weights the training loss used, and why (the experiment's classWeights or the default rule). */
  classWeights?: { mode: 'balanced' | 'none' | 'custom'; weights?: Record<string, number>; reason: string };
}

export interface PerClassRow {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** One evaluated image, so a UI can show a confusion-matrix cell's images and the most confident mistakes. */
export interface EvaluatedSample {
  path: string;
  label: number;
  predicted: number;
  confidence: number;
  /** Text runs: the start of the text, since a path like `reviews.csv#row12` shows the reader nothing. */
  text?: string;
}

export interface EvaluationReport {
  split: string;
  classes: string[];
  count: number;
  accuracy: number;
  loss?: number;
  confusionMatrix: number[][];
  perClass: PerClassRow[];
  macro: { precision: number; recall: number; f1: number };
  skipped: { path: string; reason: string }[];
  samples: EvaluatedSample[];
  /** On another folder: how many of its images the run trained on (same content), which inflates the accuracy. */
  trainedOn?: number;
  /** On another folder: where the run keeps this result (relative to the run folder). */
  savedAs?: string;
}

export interface EvaluateParams {
  runDir: string;
  /** A folder of class folders; the run's own validation split when omitted. */
  data?: string;
  /** Where cached content hashes live (to compare the folder with the training images). */
  cacheDir?: string;
}

export interface PredictParams {
  runDir: string;
  inputs: string[];
  /** Texts to classify with a text run (inputs is then empty). */
  texts?: string[];
  top?: number;
}

export interface Prediction {
  path: string;
  text?: string;
  /** The text was longer than the model reads: only its start was classified. */
  truncated?: boolean;
  top?: { label: string; confidence: number }[];
  error?: string;
}

export interface HeatmapsParams {
  runDir: string;
  /** The images to explain (only these: the set is never run through). */
  files: string[];
  /** The class to explain; each image's most probable class when omitted. */
  classIndex?: number;
}

/** Where the model looks in one image: a coarse grid over the whole image as the model saw it (squashed to a square). */
export interface Heatmap {
  path: string;
  classIndex?: number;
  label?: string;
  /** The model's probability for that class. */
  confidence?: number;
  rows?: number;
  cols?: number;
  /** rows × cols, row-major: 0 (nothing for the class) … 1 (the image's strongest evidence). */
  values?: number[];
  /** Why this image has no heatmap (unreadable). */
  error?: string;
}

export interface HeatmapsResult {
  /** CAM for a pooled linear head; Grad-CAM through a head with a hidden layer (or any other top). */
  method: 'cam' | 'grad-cam';
  /** The base's last spatial layer, whose feature map the heatmap is on. */
  layer: string;
  heatmaps: Heatmap[];
}

/**
 * Image runs: Keras 2 HDF5, Keras 3 archive, tfjs Layers folder, ONNX model, or the run as a TensorFlow/Keras
 * training script or notebook. Text runs: a Hugging Face save_pretrained folder.
 */
export const EXPORT_FORMATS = ['h5', 'keras', 'tfjs', 'onnx', 'keras-script', 'notebook', 'hf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_FORMATS_BY_KIND: Record<'image' | 'text', readonly ExportFormat[]> = { image: ['h5', 'keras', 'tfjs', 'onnx', 'keras-script', 'notebook'], text: ['hf'] };

export interface ExportParams {
  runDir: string;
  /** Defaults from `out`'s ending, else the kind's first format (h5 for images, hf for texts). */
  format?: ExportFormat;
  /** The file (h5, keras, onnx, .py, .ipynb) or folder (tfjs, hf) to write; the run's model folder when omitted (file formats only). */
  out?: string;
  /** Where base models are cached (the training script export reads the base from there). */
  cacheDir?: string;
}

export interface ExportResult {
  format: ExportFormat;
  /** What the export is, for people, e.g. "Keras model (HDF5)". */
  title: string;
  /** Which Python can load it, e.g. "Keras 2 or 3". */
  loader: string;
  /** The written file (h5, keras, onnx, .py, .ipynb) or folder (tfjs, hf). */
  file: string;
  /** Image runs: the run's own tfjs Layers model the export was made from. */
  tfjsModel?: string;
  labelsFile: string;
  params: number;
  /** Python that loads the export and classifies one input the way the run did (script formats: how to run it). */
  python: string;
  /** ONNX: the same for C# and JavaScript, whose runtimes load it too. */
  otherLanguages?: { csharp: string; javascript: string };
}

export interface SampleParams {
  /** The folder to write the data and experiment file into. */
  dir: string;
  kind?: 'image' | 'text';
  /** Image sample: examples per class, 1–100. */
  perClass?: number;
}

export interface SampleResult {
  experimentFile: string;
}

export interface ThumbnailsParams {
  paths: string[];
  /** Longer side in pixels; images are never enlarged. */
  maxSide: number;
}

/** One JPEG data: URI per path, in order; null where the file could not be read as an image. */
export interface ThumbnailsResult {
  thumbnails: (string | null)[];
}

export interface DoctorParams {
  /** A data folder (class folders, optionally under train/ val/ test/) or an experiment file. */
  target: string;
  /** Catalog id or model path; defaults to the experiment's base (an experiment) or the default base (a folder). */
  base?: string;
  /** Cosine similarity of L2-normalised features from which two images count as near-duplicates (0–1). */
  near?: number;
  cacheDir?: string;
  /** Only from cached features (no base pass): fails saying how many images lack them. Such a check runs beside
   * other work and yields to a run (the dashboard's line about a finished run's data). */
  cachedOnly?: boolean;
}

export type DoctorSplit = 'train' | 'val' | 'test';

export interface LabelIssue {
  file: string;
  given: string;
  suggested: string;
  /** 1 − the out-of-fold probability of the given label: higher is more suspect. */
  score: number;
}

export interface DuplicateGroup {
  kind: 'exact' | 'near';
  files: string[];
  /** The split of each file, in the order of `files`. */
  splits: DoctorSplit[];
  /** The lowest cosine similarity that joined the group (1 for exact copies). */
  similarity: number;
  /** The group spans train and val/test: the evaluation has seen training images. */
  leakage: boolean;
}

export interface OddImage {
  file: string;
  /** e.g. "tiny (24×24 px)", "grayscale in a colour set", "extreme aspect ratio (8.0:1)". */
  reason: string;
}

export interface DoctorReport {
  /** Most suspect first. */
  labelIssues: LabelIssue[];
  /** Leakage groups first. */
  duplicates: DuplicateGroup[];
  /** Farthest from every class first. */
  outliers: { file: string; score: number }[];
  classes: Record<string, { train: number; val: number; test: number }>;
  /** How uneven the training classes are (absent with fewer than two classes). */
  imbalance?: ClassBalance;
  odd: OddImage[];
  /** Images that could not be read, and why. */
  skipped: { path: string; reason: string }[];
  /** Which base gave the features, and how many images needed a base pass (0 on a cached set). */
  base: string;
  computed: number;
  seconds: number;
}

export interface LrFindParams {
  experimentFile: string;
  /** A phase's name or 1-based number; the first phase when omitted. */
  phase?: string;
  cacheDir?: string;
  engine?: EngineChoice;
}

/** fastai's lr_find: one training step per rate, rates growing exponentially until the smoothed loss explodes. */
export interface LrFindResult {
  phase: string;
  rates: number[];
  losses: number[];
  /** The losses exponentially smoothed (debiased), what the suggestion is read from. */
  smoothed: number[];
  /** The rate at the steepest descent of the smoothed loss. */
  suggestion: number;
  /** Everything: loading the base, caching features, the sweep. */
  seconds: number;
  /** The sweep alone. */
  sweepSeconds: number;
  /** Training steps in one epoch of this phase, to compare the sweep's cost with an epoch's. */
  stepsPerEpoch: number;
}

export interface SearchParams {
  experimentFile: string;
  /** Candidate bases (catalog ids, model files, URLs); default: the experiment's, the shipped offline one, and every catalog base whose weights are cached. */
  bases?: string[];
  /** Head settings tried in all (spread over the bases); default 30. */
  trials?: number;
  /** Stop promoting (and starting) trials after this many minutes; features are always computed. */
  budgetMinutes?: number;
  cacheDir?: string;
  engine?: EngineChoice;
}

export interface SearchSettings {
  learningRate: number;
  dropout: number;
  hiddenUnits: number;
  classWeights: 'none' | 'balanced';
  /** Epochs the winner's file trains: the median best epoch over the folds. */
  epochs: number;
}

export interface SearchRow {
  /** The base as the experiment file names it. */
  base: string;
  /** The experiment's own base (its file keeps the experiment's base entry as it is). */
  own: boolean;
  /** The preprocessing the search fed the base (written into the row's experiment). */
  preprocessing: Preprocessing;
  displayName: string;
  settings: SearchSettings;
  /** Mean accuracy over the folds at each fold's best epoch, and its standard deviation. */
  cvAccuracy: number;
  cvStd: number;
  msPerImage: number;
  /** Base (to its cut) plus head. */
  params: number;
  /** The successive-halving rung the trial reached (0-based) and its epochs budget there. */
  rung: number;
}

export interface SearchRowParams {
  experimentFile: string;
  row: SearchRow;
  /** The row's place on the leaderboard (1 = the winner): names the file. */
  rank: number;
}

export interface SearchResult {
  /** Every trained trial, later rungs first, best first within a rung. */
  leaderboard: SearchRow[];
  /** The winner, written beside the experiment. */
  bestExperiment: string;
  /** Folds of the training split (1: one stratified holdout, for sets of 2000+ images). */
  folds: number;
  seconds: number;
  /** The part spent loading bases and computing (or reading) their features. */
  featureSeconds: number;
}

export interface LogMessage {
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface ProgressMessage {
  stage: 'download' | 'features' | 'evaluate' | 'predict' | 'doctor' | 'search';
  done: number;
  total: number;
  message: string;
}

export interface RunStateMessage {
  runDir: string;
  state: RunStatus;
  phase?: string;
  epoch?: number;
  engine?: EngineReport;
  /** Image runs: the pixel scaling the base is fed and why. */
  preprocessing?: string;
  message?: string;
}

export interface BatchMetrics {
  runDir: string;
  phase: string;
  phaseIndex: number;
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  learningRate: number;
  imagesPerSecond: number;
}

/** How fast this host computes, for time estimates (src/engine/backend/calibration.ts). */
export interface MachineSpeed {
  /** GFLOP/s of a fixed 256×256 float32 matmul on one thread of the host's backend, repeated for 0.2 s (load included). */
  gflops: number;
  /** Threads that compute frozen outputs at once (wasm: one worker per core, at most 4). */
  threads: number;
  backend: string;
}

/** The training host's memory: flat from epoch to epoch, and from request to request, unless something leaks. */
export interface HostMemory {
  numTensors: number;
  /** Bytes held by tensors (tf.memory().numBytes). */
  tensorBytes: number;
  rssBytes: number;
}

export interface EpochMetrics {
  runDir: string;
  phase: string;
  phaseIndex: number;
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number;
  /** Keras' names, as in metrics.jsonl and the experiment's earlyStopping.monitor. */
  val_loss: number;
  val_accuracy: number;
  learningRate: number;
  seconds: number;
  /** Set by the training host when it forwards the epoch. */
  memory?: HostMemory;
}

export const Requests = {
  hello: new RequestType0<HelloResult, void>('host/hello'),
  inspectModel: new RequestType<InspectModelParams, InspectModelResult, void>('model/inspect'),
  scanDataset: new RequestType<ScanDatasetParams, ScanDatasetResult, void>('dataset/scan'),
  train: new RequestType<TrainParams, TrainResult, void>('run/train'),
  stop: new RequestType0<{ stopping: boolean }, void>('run/stop'),
  evaluate: new RequestType<EvaluateParams, EvaluationReport, void>('run/evaluate'),
  predict: new RequestType<PredictParams, Prediction[], void>('run/predict'),
  /** Image runs: class-activation heatmaps of the given images. */
  heatmaps: new RequestType<HeatmapsParams, HeatmapsResult, void>('run/heatmaps'),
  export: new RequestType<ExportParams, ExportResult, void>('run/export'),
  sample: new RequestType<SampleParams, SampleResult, void>('sample/write'),
  thumbnails: new RequestType<ThumbnailsParams, ThumbnailsResult, void>('images/thumbnails'),
  /** Label issues, duplicates and leakage, outliers and odd images of a dataset; `stop` cancels it. */
  doctor: new RequestType<DoctorParams, DoctorReport, void>('data/doctor'),
  /** Stopped by run/stop, as a run. */
  lrFind: new RequestType<LrFindParams, LrFindResult, void>('experiment/lrFind'),
  /** Stopped by run/stop, as a run. */
  search: new RequestType<SearchParams, SearchResult, void>('experiment/search'),
  /** A leaderboard row written as an experiment file beside the searched one (as the winner is); answers its path. */
  searchRow: new RequestType<SearchRowParams, { file: string }, void>('experiment/searchRow'),
  /** Diagnostics: answered between batches too, so a client can watch a host for leaks. */
  memory: new RequestType0<HostMemory, void>('host/memory'),
  /** A fixed matmul timed once per host: the wizard turns the catalog's forward costs into seconds with it. */
  machineSpeed: new RequestType0<MachineSpeed, void>('host/speed'),
} as const;

export const Notifications = {
  log: new NotificationType<LogMessage>('host/log'),
  progress: new NotificationType<ProgressMessage>('host/progress'),
  runState: new NotificationType<RunStateMessage>('run/state'),
  batch: new NotificationType<BatchMetrics>('metrics/batch'),
  epoch: new NotificationType<EpochMetrics>('metrics/epoch'),
} as const;

/** What the engine calls while it works; the host forwards each to the matching notification. */
export interface TrainingListener {
  log(message: LogMessage): void;
  progress(message: ProgressMessage): void;
  runState(message: RunStateMessage): void;
  batch(metrics: BatchMetrics): void;
  epoch(metrics: EpochMetrics): void;
}
