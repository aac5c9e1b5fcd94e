// Number and text formatting shared by the webviews and the exported report.

export const formatCount = (n: number) => Math.round(n).toLocaleString('en-US');

/** "1 image", "40 texts": a count of a run's examples, named by the kind of experiment. */
export const formatExamples = (n: number, kind: 'image' | 'text') => `${n} ${kind}${n === 1 ? '' : 's'}`;

export function formatCompact(n: number): string {
  if (Math.abs(n) >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (Math.abs(n) >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

export const formatPercent = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`;

export const formatMetric = (x: number | null | undefined, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

/** Learning rates read best in exponent form (1e-4, 3e-5). */
export const formatRate = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toExponential(1).replace('.0e', 'e').replace('e-', 'e−');

/** `[null, 7, 7, 960]` → `7×7×960`; several outputs are joined with commas. */
export function formatShape(shape: unknown): string {
  if (!Array.isArray(shape)) return '';
  if (shape.some(Array.isArray)) return shape.map(formatShape).join(', ');
  return shape
    .filter((d, i) => !(i === 0 && d === null))
    .map((d) => (d === null ? '?' : String(d)))
    .join('×');
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  return `${s}s`;
}

/** The engine line up to its first clause ("wasm (XNNPACK) for forward and training"). */
export const shortEngine = (engine: string | undefined) => (engine ?? '').split(';')[0].trim();

/** The header's pixel-range fact: the value (marked when it is a guess), the reason as its tooltip. */
export function preprocessingFact(text: string | undefined): { value: string; title?: string } {
  if (!text) return { value: '—' };
  const value = text.split(' — ')[0];
  return { value: /This is a guess/.test(text) ? `${value} (a guess)` : value, title: text };
}

export const baseName = (path: string) => path.split(/[\\/]/).filter(Boolean).pop() ?? path;

/** A base model as the header shows it: a catalog or hub id whole, a file or folder by its name. */
export const modelName = (ref: string) => (/^([A-Za-z]:)?[\\/]/.test(ref) ? baseName(ref) : ref);

/** "stopped early at 5/40, restored best epoch 2": what early stopping did to a phase, in the words users look for. */
export function phaseEndingText(ending: { epoch: number; plannedEpochs: number; stoppedEarly: boolean; restoredEpoch?: number }): string {
  const stop = ending.stoppedEarly ? `stopped early at ${ending.epoch}/${ending.plannedEpochs}` : `ran ${ending.epoch}/${ending.plannedEpochs} epochs`;
  return ending.restoredEpoch !== undefined ? `${stop}, restored best epoch ${ending.restoredEpoch}` : stop;
}

/** Said wherever a folder's accuracy is shown: examples the model trained on make it look better than it is. */
export function overlapWarning(trainedOn: number, count: number, kind: 'image' | 'text'): string {
  return `${trainedOn} of these ${count} ${kind}s were in the run's training set, so this accuracy overstates how the model does on new ${kind}s.`;
}
