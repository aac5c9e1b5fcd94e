// Run data, a layer tree and compare runs whose every shown name is hostile (HTML and script injections, a javascript:
// URL, a right-to-left override, HTML entities): each webview must show them as text and build nothing from them.
import type { CompareRun, EpochPoint, EvaluationSplit, RunHeader, RunSnapshot, SampleView } from '../../../../src/protocol/webview';
import type { LayersShow } from '../../../../src/extension/webviews/layers/layersMessages';

/** Each sets window.__pwned if it ever runs; the entities must stay entities, not turn into markup. */
export const HOSTILE = [
  '"><img src=x onerror=window.__pwned=1>',
  '<script>window.__pwned=1</script>',
  'javascript:window.__pwned=1',
  '<svg onload=window.__pwned=1>',
  'cat\u202Egnp.exe',
  '&lt;b&gt;bold&amp;',
] as const;
/** The ones a path can end with (no slash), for file names. */
export const HOSTILE_FILES = HOSTILE.filter((s) => !s.includes('/'));

const header = (run: string): RunHeader => ({
  run, experiment: HOSTILE[0], kind: 'image', baseModel: HOSTILE[3], dataset: `/data/${HOSTILE[2]}`,
  phases: [
    { name: HOSTILE[1], epochs: 2, batchSize: 8, learningRate: 1e-3, trainable: { none: true } },
    { name: HOSTILE[4], epochs: 1, batchSize: 8, learningRate: 1e-5, trainable: { names: [HOSTILE[0]] } },
  ],
});
const epochs: EpochPoint[] = [[0, 1], [0, 2], [1, 1]].map(([phaseIndex, epoch], i) => ({ phaseIndex, epoch, loss: 1 - i / 4, accuracy: 0.5 + i / 10, valLoss: 1.1 - i / 4, valAccuracy: 0.4 + i / 10, learningRate: phaseIndex ? 1e-5 : 1e-3, seconds: 3 }));
const completed = { state: 'completed' as const, message: HOSTILE[0], startedAt: '2026-11-28T10:00:00.000Z', updatedAt: '2026-11-28T10:01:00.000Z' };

/** A finished run whose classes, file names, run, phase and dataset names are hostile; `image` gives a sample's picture. */
export function hostileRun(image: (file: string) => string | undefined): RunSnapshot {
  const classes = [...HOSTILE];
  // per class: one correct image and one mistaken for the next class, named by a hostile file name
  const samples: SampleView[] = classes.flatMap((_, label) => [label, (label + 1) % classes.length].map((predicted, k) => {
    const file = `${HOSTILE_FILES[(label + k) % HOSTILE_FILES.length]}.png`;
    return { path: `/data/${classes[label]}/${file}`, image: image(file), label, predicted, confidence: k ? 0.9 : 0.6 };
  }));
  const confusionMatrix = classes.map((_, i) => classes.map((__, j) => samples.filter((s) => s.label === i && s.predicted === j).length));
  const val: EvaluationSplit = {
    split: 'val', classes, count: samples.length, accuracy: 0.5, loss: 0.9, confusionMatrix, samples,
    perClass: classes.map((name) => ({ name, precision: 0.5, recall: 0.5, f1: 0.5, support: 2 })), macro: { precision: 0.5, recall: 0.5, f1: 0.5 },
  };
  return { restoreKey: `/runs/${HOSTILE[1]}`, header: header(HOSTILE[1]), state: completed, epochs, batches: [], evaluation: { val } };
}

/** One compare run per hostile name, as its id and run name. */
export const hostileCompareRuns = (): CompareRun[] => HOSTILE.map((id, i) => ({
  id, header: header(id), state: completed, epochs: epochs.map((e) => ({ ...e, valAccuracy: (e.valAccuracy ?? 0) + i / 100 })), evaluation: { valAccuracy: 0.5, macroF1: 0.4 },
}));

/** A two-block model whose block, layer and layer-class names, shapes and captions are hostile. */
export function hostileLayers(): LayersShow {
  const layers = HOSTILE.map((name, index) => ({
    index, name, className: HOSTILE[(index + 1) % HOSTILE.length], outputShape: `[null, ${HOSTILE[(index + 2) % HOSTILE.length]}]`,
    params: 10 * (index + 1), trainableParams: 10 * (index + 1), block: HOSTILE[index < 3 ? 3 : 5], inferenceOnly: index === 2,
  }));
  return {
    type: 'layers/show', restoreKey: `file:///work/${HOSTILE[1]}.experiment.json`,
    experiment: { label: HOSTILE[2], phases: header(HOSTILE[0]).phases },
    model: { kind: 'image', displayName: HOSTILE[0], inputSize: 96, featureLayer: HOSTILE[1], layers },
  };
}
