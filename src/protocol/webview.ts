// Extension ⇄ webview messages. Each message is a schema; its TypeScript type is inferred from it, so the type and
// the validator run on every inbound message (both sides) cannot drift apart. No vscode, DOM or Node imports.
import type { TrainableSpec } from './experiment';
import { RUN_STATES } from '../shared/runStates';
import type { RunStatus } from './host';

/** Size caps: a message over them is rejected (huge arrays are an attack or a bug, never data we need). */
export const LIMITS = { text: 2_000, path: 4_096, layers: 10_000, phases: 50, classes: 2_000, samples: 200_000, epochs: 100_000, batches: 500_000, runs: 20, pngDataUrl: 20_000_000, heatmaps: 200 } as const;

// ── A tiny strict schema kit (ajv compiles with `new Function`, which the webview CSP forbids) ──────────────────
export interface Schema<T> {
  /** An error message naming the path at fault, or undefined when `value` is a T. */
  readonly check: (value: unknown, path: string) => string | undefined;
  readonly optional?: true;
  readonly _type?: T; // phantom: carries T for Infer
}
export type Infer<S> = S extends Schema<infer T> ? T : never;
type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] } & {};
type ObjectOf<S extends Shape> = Flat<{ [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }>;

const schema = <T>(check: Schema<T>['check']): Schema<T> => ({ check });
const fail = (path: string, want: string) => `${path || 'message'}: expected ${want}`;

export const str = (max: number = LIMITS.text) => schema<string>((v, p) => (typeof v === 'string' && v.length <= max ? undefined : fail(p, `a string of at most ${max} characters`)));
export const int = (min = 0, max: number = Number.MAX_SAFE_INTEGER) => schema<number>((v, p) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : fail(p, `a whole number from ${min} to ${max}`)));
export const num = () => schema<number>((v, p) => (typeof v === 'number' && Number.isFinite(v) ? undefined : fail(p, 'a finite number')));
/** A metric that may be missing: diverged runs log NaN, which JSON turns into null. */
export const metric = () => schema<number | null>((v, p) => (v === null || (typeof v === 'number' && Number.isFinite(v)) ? undefined : fail(p, 'a finite number or null')));
export const bool = () => schema<boolean>((v, p) => (typeof v === 'boolean' ? undefined : fail(p, 'true or false')));
export const oneOf = <const T extends readonly (string | number | boolean)[]>(...values: T) => schema<T[number]>((v, p) => (values.includes(v as T[number]) ? undefined : fail(p, `one of ${values.join(', ')}`)));
export const opt = <T>(s: Schema<T>): Schema<T> & { optional: true } => ({ check: s.check, optional: true });
export const refine = <T>(s: Schema<T>, ok: (value: T) => boolean, want: string) => schema<T>((v, p) => s.check(v, p) ?? (ok(v as T) ? undefined : fail(p, want)));

export const arr = <T>(item: Schema<T>, max: number) => schema<T[]>((v, p) => {
  if (!Array.isArray(v) || v.length > max) return fail(p, `an array of at most ${max} items`);
  for (let i = 0; i < v.length; i++) {
    const error = item.check(v[i], `${p}[${i}]`);
    if (error) return error;
  }
  return undefined;
});

export const pair = <T>(item: Schema<T>) => schema<[T, T]>((v, p) => (Array.isArray(v) && v.length === 2 ? item.check(v[0], `${p}[0]`) ?? item.check(v[1], `${p}[1]`) : fail(p, 'a pair')));

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/** A plain object with exactly these keys (optional ones may be absent); any other key is an error. */
export const obj = <S extends Shape>(shape: S) => schema<ObjectOf<S>>((v, p) => {
  if (!isPlainObject(v)) return fail(p, 'an object');
  const extra = Object.keys(v).find((key) => !Object.hasOwn(shape, key));
  if (extra !== undefined) return `${p}.${extra}: unexpected field`;
  for (const [key, field] of Object.entries(shape)) {
    if (!Object.hasOwn(v, key) || v[key] === undefined) {
      if (field.optional) continue;
      return `${p}.${key}: missing`;
    }
    const error = field.check(v[key], `${p}.${key}`);
    if (error) return error;
  }
  return undefined;
});

export const union = <S extends Schema<unknown>[]>(...options: S) => schema<Infer<S[number]>>((v, p) => (options.some((o) => !o.check(v, p)) ? undefined : fail(p, 'one of the allowed shapes')));

/** Messages discriminated by `type`: only the matching variant is checked, so errors stay precise. */
export const messages = <M extends Record<string, Shape>>(variants: M) => schema<{ [K in keyof M]: Flat<{ type: K } & ObjectOf<M[K]>> }[keyof M]>((v, p) => {
  const type = isPlainObject(v) ? v.type : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(variants, type)) return fail(`${p}.type`, `one of ${Object.keys(variants).join(', ')}`);
  return obj({ ...variants[type], type: str() }).check(v, p);
});

/** The value as a T, or undefined (with the reason passed to `reject`) when it does not match. */
export function parse<T>(s: Schema<T>, value: unknown, reject?: (reason: string) => void): T | undefined {
  const error = s.check(value, '');
  if (error) reject?.(error);
  return error ? undefined : (value as T);
}

// ── Shared payloads ─────────────────────────────────────────────────────────────────────────────────────────────
const name = str(500);
export const trainableSpec: Schema<TrainableSpec> = union(
  obj({ none: oneOf(true) }), obj({ all: oneOf(true) }), obj({ topLayers: int(1) }), obj({ topBlocks: int(1) }),
  obj({ fromLayer: name }), obj({ names: arr(name, LIMITS.layers) }), obj({ range: pair(int()) }),
);
export const runStatus: Schema<RunStatus> = oneOf(...RUN_STATES);

export const layerView = obj({ index: int(), name, className: name, outputShape: str(200), params: int(), trainableParams: int(), block: name, inferenceOnly: bool() });
export const phaseView = obj({ name, epochs: int(), batchSize: int(), learningRate: num(), trainable: trainableSpec });
export const epochPoint = obj({ phaseIndex: int(0, LIMITS.phases), epoch: int(), loss: metric(), accuracy: metric(), valLoss: metric(), valAccuracy: metric(), learningRate: metric(), seconds: metric() });
export const batchPoint = obj({ phaseIndex: int(0, LIMITS.phases), epoch: int(), batch: int(), batches: int(), loss: metric(), accuracy: metric(), learningRate: metric(), imagesPerSecond: metric() });
export const runStateView = obj({ state: runStatus, phase: opt(name), epoch: opt(int()), engine: opt(str()), preprocessing: opt(str()), message: opt(str()), startedAt: opt(str(40)), updatedAt: opt(str(40)) });
/** A phase that stopped early or ended on restored best weights (engine/runs PhaseEnding). */
export const phaseEnding = obj({ phaseIndex: int(0, LIMITS.phases), epoch: int(), plannedEpochs: int(), stoppedEarly: bool(), restoredEpoch: opt(int()) });
export const runHeader = obj({ run: name, experiment: name, kind: oneOf('image', 'text'), baseModel: name, dataset: str(LIMITS.path), phases: arr(phaseView, LIMITS.phases) });

export const sampleView = obj({ path: str(LIMITS.path), image: opt(str(LIMITS.path * 2)), text: opt(str()), label: int(0, LIMITS.classes), predicted: int(0, LIMITS.classes), confidence: num() });
const perClassRow = obj({ name, precision: metric(), recall: metric(), f1: metric(), support: int() });
export const evaluationSplit = refine(
  obj({
    split: name, classes: arr(name, LIMITS.classes), count: int(), accuracy: metric(), loss: opt(metric()),
    confusionMatrix: arr(arr(int(), LIMITS.classes), LIMITS.classes), perClass: arr(perClassRow, LIMITS.classes),
    macro: obj({ precision: metric(), recall: metric(), f1: metric() }), samples: arr(sampleView, LIMITS.samples),
    // evaluations on other folders: which folder, and how many of its images the run trained on
    folder: opt(str(LIMITS.path)), trainedOn: opt(int()),
  }),
  (e) => e.confusionMatrix.length === e.classes.length && e.confusionMatrix.every((row) => row.length === e.classes.length) &&
    e.samples.every((s) => s.label < e.classes.length && s.predicted < e.classes.length),
  'a square confusion matrix and samples whose labels name its classes',
);
/** One image's heatmap (host.ts Heatmap): a grid of at most 64×64 values in 0…1, or why there is none. */
export const heatmapView = refine(
  obj({ path: str(LIMITS.path), label: opt(name), rows: opt(int(1, 64)), cols: opt(int(1, 64)), values: opt(arr(refine(num(), (v) => v >= 0 && v <= 1, 'a value from 0 to 1'), 64 * 64)), error: opt(str()) }),
  (v) => v.error !== undefined || (v.rows !== undefined && v.cols !== undefined && v.values?.length === v.rows * v.cols),
  'rows × cols values, or an error',
);
export const evaluationView = obj({ val: evaluationSplit, test: opt(evaluationSplit), folders: opt(arr(evaluationSplit, LIMITS.runs)) });
export const runSnapshot = obj({
  restoreKey: str(LIMITS.path), header: runHeader, state: runStateView, epochs: arr(epochPoint, LIMITS.epochs),
  batches: arr(batchPoint, LIMITS.batches), evaluation: opt(evaluationView), endings: opt(arr(phaseEnding, LIMITS.phases)),
});
export const compareRun = obj({ id: name, header: runHeader, state: runStateView, epochs: arr(epochPoint, LIMITS.epochs), evaluation: opt(obj({ valAccuracy: metric(), testAccuracy: opt(metric()), macroF1: metric() })) });

export type LayerView = Infer<typeof layerView>;
export type PhaseView = Infer<typeof phaseView>;
export type EpochPoint = Infer<typeof epochPoint>;
export type BatchPoint = Infer<typeof batchPoint>;
export type RunStateView = Infer<typeof runStateView>;
export type RunHeader = Infer<typeof runHeader>;
export type PhaseEndingView = Infer<typeof phaseEnding>;
export type SampleView = Infer<typeof sampleView>;
export type EvaluationSplit = Infer<typeof evaluationSplit>;
export type EvaluationView = Infer<typeof evaluationView>;
export type HeatmapView = Infer<typeof heatmapView>;
export type RunSnapshot = Infer<typeof runSnapshot>;
export type CompareRun = Infer<typeof compareRun>;

// ── Layers view ─────────────────────────────────────────────────────────────────────────────────────────────────
export const toLayersWebview = messages({
  'layers/show': {
    restoreKey: str(LIMITS.path), experiment: obj({ label: name, phases: arr(phaseView, LIMITS.phases) }),
    model: obj({ kind: oneOf('image', 'text'), displayName: name, inputSize: int(), featureLayer: name, layers: arr(layerView, LIMITS.layers) }),
  },
  'layers/status': { status: oneOf('loading', 'noExperiment', 'restricted', 'error'), message: str() },
});
export const fromLayersWebview = messages({
  ready: {},
  'layers/setTrainable': { phaseIndex: int(0, LIMITS.phases), spec: trainableSpec },
});

// ── Training dashboard (one run) ────────────────────────────────────────────────────────────────────────────────
export const chartExport = { chart: str(100), dataUrl: refine(str(LIMITS.pngDataUrl), (s) => /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(s), 'a PNG data URL') };
/** `unknown`: not every image's features are cached (or the check failed): the line goes, the button stays. */
const dataHealthLine = { state: oneOf('checking', 'checked', 'unknown'), labelIssues: int(), leaked: int() };
export type DataHealthLine = ObjectOf<typeof dataHealthLine>;
export const toDashboardWebview = messages({
  'run/snapshot': { snapshot: runSnapshot },
  'run/batch': { point: batchPoint },
  'run/epoch': { point: epochPoint },
  'run/state': { state: runStateView },
  'run/evaluation': { evaluation: evaluationView },
  'run/endings': { endings: arr(phaseEnding, LIMITS.phases) },
  /** Show this evaluation (a split or another folder's) in the matrix: Evaluate's "Open Dashboard" asks for it. */
  'run/showSplit': { split: str(500) },
  /** Heatmaps of gallery images the page asked for (the method and layer they come from), or why there are none. */
  'run/heatmaps': { method: opt(oneOf('cam', 'grad-cam')), layer: opt(name), heatmaps: arr(heatmapView, LIMITS.heatmaps), error: opt(str()) },
  /** A finished image run's data, checked from cached features: how many likely label issues and leaked groups. */
  'run/dataHealth': dataHealthLine,
});
export const fromDashboardWebview = messages({
  ready: {},
  'export/png': chartExport,
  'export/csv': {},
  'export/html': {},
  'open/image': { path: str(LIMITS.path) },
  /** "Show where the model looks": heatmaps for these gallery images (each image's predicted class). */
  'heatmaps/request': { paths: arr(str(LIMITS.path), LIMITS.heatmaps) },
  'check/data': {},
});

// ── Compare runs ────────────────────────────────────────────────────────────────────────────────────────────────
export const toCompareWebview = messages({
  'compare/show': { restoreKey: str(LIMITS.path * LIMITS.runs), runs: arr(compareRun, LIMITS.runs) },
  'compare/epoch': { id: name, point: epochPoint },
});
export const fromCompareWebview = messages({ ready: {}, 'export/png': chartExport });

// ── Search leaderboard ──────────────────────────────────────────────────────────────────────────────────────────
export const searchRowView = obj({
  base: str(LIMITS.path), displayName: name, cvAccuracy: num(), cvStd: num(), msPerImage: num(), params: int(), rung: int(0, 20),
  settings: obj({ learningRate: num(), dropout: num(), hiddenUnits: int(), classWeights: oneOf('none', 'balanced'), epochs: int() }),
});
export const toSearchWebview = messages({
  'search/show': { experiment: str(LIMITS.path), bestExperiment: str(LIMITS.path), folds: int(), seconds: num(), rows: arr(searchRowView, 10_000) },
});
/** "Train This" and "Open File" on a leaderboard row (0 = the winner, whose file the search wrote; another's is written when asked). */
export const fromSearchWebview = messages({ ready: {}, 'search/train': { row: int(0, 10_000) }, 'search/open': { row: int(0, 10_000) } });
export type SearchRowView = Infer<typeof searchRowView>;
export type ToSearchWebview = Infer<typeof toSearchWebview>;
export type FromSearchWebview = Infer<typeof fromSearchWebview>;

// ── Data Health (the data doctor's findings) ───────────────────────────────────────────────────────────────────
const file = str(LIMITS.path);
/** A file the panel shows: its path and, when the panel may read it, its webview image URI. */
const fileView = { file, image: opt(str(LIMITS.path * 2)) };
export const labelIssueView = obj({ ...fileView, given: name, suggested: name, score: num() });
export const duplicateView = obj({ kind: oneOf('exact', 'near'), leakage: bool(), similarity: num(), members: arr(obj({ ...fileView, split: oneOf('train', 'val', 'test') }), LIMITS.samples) });
export const scoredFileView = obj({ ...fileView, score: num() });
export const oddFileView = obj({ ...fileView, reason: str() });
export const healthReport = obj({
  target: file, base: name, seconds: num(), computed: int(), images: int(),
  /** Why Exclude is off (a bare folder has no experiment to record it in); absent when it works. */
  excludeDisabled: opt(str()),
  labelIssues: arr(labelIssueView, LIMITS.samples), duplicates: arr(duplicateView, LIMITS.samples),
  outliers: arr(scoredFileView, LIMITS.samples), odd: arr(oddFileView, LIMITS.samples),
  classes: arr(obj({ name, train: int(), val: int(), test: int() }), LIMITS.classes), imbalance: opt(str()),
  skipped: arr(obj({ file, reason: str() }), LIMITS.samples), kept: int(),
});
/** The panel's sections: a kept file is hidden from its section only. */
export const HEALTH_SECTIONS = ['labelIssues', 'duplicates', 'outliers', 'odd'] as const;
export type HealthSection = (typeof HEALTH_SECTIONS)[number];
/** What became of a file after an action: rows showing it say so in place; `image` is where its thumbnail is now. */
const rowOutcomeShape = { file, outcome: oneOf('moved', 'excluded', 'kept', 'restored'), detail: str(), section: opt(oneOf(...HEALTH_SECTIONS)), image: opt(str(LIMITS.path * 2)) };
export const rowOutcome = obj(rowOutcomeShape);
export const toDataHealthWebview = messages({ 'health/show': { report: healthReport }, 'health/outcome': rowOutcomeShape });
export const fromDataHealthWebview = messages({
  ready: {}, 'health/move': { file }, 'health/undoMove': { file }, 'health/exclude': { file }, 'health/keep': { file, section: oneOf(...HEALTH_SECTIONS) }, 'health/open': { file },
});
export type HealthReport = Infer<typeof healthReport>;
export type RowOutcome = Infer<typeof rowOutcome>;
export type ToDataHealthWebview = Infer<typeof toDataHealthWebview>;
export type FromDataHealthWebview = Infer<typeof fromDataHealthWebview>;

export type ToLayersWebview = Infer<typeof toLayersWebview>;
export type FromLayersWebview = Infer<typeof fromLayersWebview>;
export type ToDashboardWebview = Infer<typeof toDashboardWebview>;
export type FromDashboardWebview = Infer<typeof fromDashboardWebview>;
export type ToCompareWebview = Infer<typeof toCompareWebview>;
export type FromCompareWebview = Infer<typeof fromCompareWebview>;
